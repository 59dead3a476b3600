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
    private readonly double beta1, beta2, weightDecay;

    public AdamAtan2(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.95, double weightDecay = 0.1)
    {
        this.parameters = parameters.ToArray();
        expAvg = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        expAvgSq = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
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
            expAvg[i].lerp_(grad, tensor(1 - beta1, expAvg[i].dtype, expAvg[i].device));
            expAvgSq[i].lerp_(grad.square(), tensor(1 - beta2, expAvgSq[i].dtype, expAvgSq[i].device));
            p.sub_(atan2(expAvg[i] / biasCorrection1, expAvgSq[i].sqrt() / biasCorrection2Sqrt).mul_(lr));
        }
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }
}
