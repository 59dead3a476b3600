using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// The adaptive-computation wrapper: keeps a carry per batch slot across supervision steps,
/// restarts slots that halted with the next example, and decides halting. Evaluation always runs
/// halt_max_steps steps; training also halts where the Q head says so (q_halt &gt; 0, or
/// q_halt &gt; q_continue when no_ACT_continue is false), with random minimum steps for exploration.
/// </summary>
public sealed class TrmAct : nn.Module
{
    private readonly TrmInner inner;

    public TrmAct(TrmConfig config) : base(nameof(TrmAct))
    {
        inner = new TrmInner(config);
        RegisterComponents();
    }

    public TrmInner Inner => inner;
    public TrmConfig Config => inner.Config;

    /// <summary>Random source for exploration; null uses libtorch's default generator.</summary>
    public Generator? Generator { get; set; }

    /// <summary>A carry in which every slot is halted, so the first step loads the batch.</summary>
    public ActCarry InitialCarry(TrmBatch batch)
    {
        var device = batch.Inputs.device;
        var size = batch.Size;
        return new ActCarry(
            inner.EmptyCarry(size, device),
            zeros(size, ScalarType.Int32, device),
            ones(size, ScalarType.Bool, device),
            new TrmBatch(zeros_like(batch.Inputs), zeros_like(batch.Labels), zeros_like(batch.PuzzleIdentifiers)));
    }

    public (ActCarry Carry, ActOutputs Outputs) Forward(ActCarry carry, TrmBatch batch)
    {
        var innerCarry = inner.ResetCarry(carry.Halted, carry.Inner);
        var steps = carry.Steps.masked_fill(carry.Halted, 0);
        var data = carry.CurrentData.Replace(carry.Halted, batch);

        (innerCarry, var logits, var qHalt, var qContinue) = inner.Forward(innerCarry, data);
        Tensor? targetQContinue = null;

        using (no_grad())
        {
            steps = steps + 1;
            var isLastStep = steps >= Config.HaltMaxSteps;
            var halted = isLastStep;

            if (training && Config.HaltMaxSteps > 1)
            {
                halted = halted | (Config.NoActContinue ? qHalt > 0 : qHalt > qContinue);

                // Exploration: with probability p a slot must run at least randint(2, max) steps.
                var explore = rand(qHalt.shape, generator: Generator, device: qHalt.device) < Config.HaltExplorationProb;
                var minSteps = explore * randint(2, Config.HaltMaxSteps + 1, steps.shape, generator: Generator, dtype: steps.dtype, device: steps.device);
                halted = halted & (steps >= minSteps);

                if (!Config.NoActContinue)
                {
                    // Bootstrapped target from the next step's Q values (the reference's own version of
                    // this call unpacks five values from a three-value return and crashes).
                    var (_, _, nextQHalt, nextQContinue) = inner.Forward(innerCarry, data);
                    targetQContinue = sigmoid(where(isLastStep, nextQHalt, maximum(nextQHalt, nextQContinue)));
                }
            }
            return (new ActCarry(innerCarry, steps, halted, data), new ActOutputs(logits, qHalt, qContinue, targetQContinue));
        }
    }
}
