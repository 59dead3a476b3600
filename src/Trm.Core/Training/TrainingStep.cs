using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>What one training step reports, as plain numbers (sums over the sequences that halted).</summary>
public sealed record TrainingStepReport(double Loss, ActMetrics Metrics);

/// <summary>
/// One optimizer step of deep supervision: forward from the carry, backward of
/// loss / global_batch_size, in a data-parallel job the sum of the ranks' weight gradients (<paramref name="exchange"/>),
/// SignSGD on the touched puzzle rows, the weight optimizer, EMA.
/// Everything a step creates lives in one dispose scope except the new carry, which replaces
/// (and disposes) the old one, so memory stays flat however many steps run.
/// </summary>
public sealed class TrainingStep(ActLossHead model, IWeightOptimizer? optimizer, SignSgdSparse? puzzleOptimizer,
    int globalBatchSize, ExponentialMovingAverage? ema = null, GradientExchange? exchange = null) : IDisposable
{
    private ActCarry? carry;

    /// <param name="afterBackward">Sees the step's result and gradients before the optimizers change anything (the reference verifier compares them).</param>
    public TrainingStepReport Run(TrmBatch batch, Action<StepResult>? afterBackward = null)
    {
        model.train();
        using var scope = NewDisposeScope();
        carry ??= model.InitialCarry(batch).MoveToOuterDisposeScope();

        var result = model.Forward(carry, batch);
        (result.Loss / globalBatchSize).backward();
        exchange?.Run();
        afterBackward?.Invoke(result);
        puzzleOptimizer?.Step();
        optimizer?.Step();
        optimizer?.ZeroGrad();
        ema?.Update(model);

        carry.Dispose();
        carry = result.Carry.MoveToOuterDisposeScope();
        return new TrainingStepReport(
            result.Loss.to(ScalarType.Float64).item<double>(),
            ActMetrics.Of(result.Metrics));
    }

    /// <summary>The ACT carry between steps (null before the first), for checkpoints; setting it disposes the old one.</summary>
    public ActCarry? Carry
    {
        get => carry;
        set
        {
            carry?.Dispose();
            carry = value;
        }
    }

    public void Dispose() => carry?.Dispose();
}
