using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// The adaptive-computation wrapper of every architecture: keeps a carry per batch slot across supervision steps,
/// restarts slots that halted with the next example, and halts slots by a <see cref="HaltingPolicy"/>: by default
/// <c>HaltingPolicy.Evaluation</c> (<see cref="HaltingPolicyTensors"/>) (halt_max_steps fixed steps) in evaluation and <c>HaltingPolicy.Training</c> (<see cref="HaltingPolicyTensors"/>)
/// (where the Q head says so, with random minimum steps for exploration) in training.
/// </summary>
public sealed class TrmAct : nn.Module
{
    private readonly InnerModel inner;
    private readonly HaltingPolicy trainingPolicy, evaluationPolicy;

    public TrmAct(TrmConfig config) : base(nameof(TrmAct))
    {
        inner = new InnerModel(config);
        trainingPolicy = HaltingPolicy.Training(config);
        evaluationPolicy = HaltingPolicy.Evaluation(config);
        RegisterComponents();
    }

    public InnerModel Inner => inner;
    public TrmConfig Config => inner.Config;

    /// <summary>Random source for exploration; null uses libtorch's default generator.</summary>
    public Generator? Generator { get; set; }

    /// <summary>Which equal slice of the global batch this process trains, (index, count): (0, 1) in one process.</summary>
    public (int Index, int Count) BatchShard { get; set; } = (0, 1);

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

    /// <param name="policy">When slots halt; null: the reference's, <c>HaltingPolicy.Training</c> (<see cref="HaltingPolicyTensors"/>) in training and
    /// <c>HaltingPolicy.Evaluation</c> (<see cref="HaltingPolicyTensors"/>) in evaluation.</param>
    /// <param name="perturb">Applied to the latents after halted slots are reset, before the step runs (test-time noise,
    /// <see cref="LatentNoise"/>); null: none.</param>
    public (ActCarry Carry, ActOutputs Outputs) Forward(ActCarry carry, TrmBatch batch, HaltingPolicy? policy = null, Func<InnerCarry, InnerCarry>? perturb = null)
    {
        policy ??= training ? trainingPolicy : evaluationPolicy;
        var innerCarry = inner.ResetCarry(carry.Halted, carry.Inner);
        if (perturb is not null) innerCarry = perturb(innerCarry);
        var steps = carry.Steps.masked_fill(carry.Halted, 0);
        var data = carry.CurrentData.Replace(carry.Halted, batch);

        (innerCarry, var logits, var qHalt, var qContinue) = inner.Forward(innerCarry, data);
        Tensor? targetQContinue = null;

        using (no_grad())
        {
            steps = steps + 1;
            var halted = policy.Halted(steps, qHalt, qContinue, Generator, BatchShard);
            if (training && policy.Rule == HaltRule.QHaltOverContinue && Config.LearnsQContinue)
            {
                // Bootstrapped target from the next step's Q values (the reference's own version of
                // this call unpacks five values from a three-value return and crashes).
                var (_, _, nextQHalt, nextQContinue) = inner.Forward(innerCarry, data);
                targetQContinue = sigmoid(where(steps >= policy.MaxSteps, nextQHalt, maximum(nextQHalt, nextQContinue)));
            }
            return (new ActCarry(innerCarry, steps, halted, data), new ActOutputs(logits, qHalt, qContinue, targetQContinue));
        }
    }
}
