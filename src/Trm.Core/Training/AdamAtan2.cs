using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// Adam-atan2 (Everett et al. 2024), the optimizer the paper trained with: Adam whose update
/// atan2(m̂, √v̂) needs no epsilon and is bounded. Per element, at step t:
/// <code>
/// p *= 1 - lr * wd
/// m = lerp(m, g, 1 - b1);  v = lerp(v, g², 1 - b2)
/// p -= lr * atan2(m / (1 - b1^t), √v / √(1 - b2^t))
/// </code>
/// Parameters without a gradient are skipped, as in the reference kernel.
/// </summary>
public sealed class AdamAtan2 : IWeightOptimizer
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] expAvg, expAvgSq;
    private readonly Tensor[] avgWeight, avgSqWeight;   // 0-dim 1 - beta1 and 1 - beta2 per parameter (lerp_ takes its weight as a tensor)
    private readonly double beta1, beta2, weightDecay;

    public AdamAtan2(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.95, double weightDecay = 0.1)
    {
        this.parameters = parameters.ToArray();
        expAvg = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        expAvgSq = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        avgWeight = this.parameters.Select(p => tensor(1 - beta1, p.dtype, p.device).DetachFromDisposeScope()).ToArray();
        avgSqWeight = this.parameters.Select(p => tensor(1 - beta2, p.dtype, p.device).DetachFromDisposeScope()).ToArray();
        LearningRate = lr;
        (this.beta1, this.beta2, this.weightDecay) = (beta1, beta2, weightDecay);
    }

    public double LearningRate { get; set; }
    public long StepCount { get; private set; }

    public void Step()
    {
        StepCount++;
        double lr = LearningRate;
        double biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Length; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null) continue;
            var p = parameters[i];
            p.mul_(1 - lr * weightDecay);
            expAvg[i].lerp_(grad, avgWeight[i]);
            expAvgSq[i].lerp_(grad.square(), avgSqWeight[i]);
            p.sub_(atan2(expAvg[i] / biasCorrection1, expAvgSq[i].sqrt() / biasCorrection2Sqrt).mul_(lr));
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    public void Dispose()
    {
        foreach (var t in expAvg.Concat(expAvgSq).Concat(avgWeight).Concat(avgSqWeight)) t.Dispose();
    }

    /// <summary>Moment estimates per parameter (in construction order) and the step count, for exact resume.</summary>
    public Dictionary<string, Tensor> ExportState()
    {
        var state = new Dictionary<string, Tensor> { ["step"] = tensor(StepCount) };
        for (int i = 0; i < parameters.Length; i++)
        {
            state[$"exp_avg.{i}"] = expAvg[i];
            state[$"exp_avg_sq.{i}"] = expAvgSq[i];
        }
        return state;
    }

    public void ImportState(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Length; i++)
        {
            expAvg[i].copy_(SavedOptimizerState.Get(state, $"exp_avg.{i}", parameters[i].shape, source));
            expAvgSq[i].copy_(SavedOptimizerState.Get(state, $"exp_avg_sq.{i}", parameters[i].shape, source));
        }
        StepCount = SavedOptimizerState.Count(state, "step", source);
    }
}
