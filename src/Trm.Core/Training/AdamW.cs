using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>PyTorch's AdamW (decoupled weight decay), offered as an alternative to <see cref="AdamAtan2"/>.</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.95, double weightDecay = 0.1, double eps = 1e-8)
    : IWeightOptimizer
{
    private readonly optim.Optimizer inner = optim.AdamW(parameters, lr, beta1, beta2, eps, weightDecay);

    public double LearningRate
    {
        get => inner.ParamGroups.First().LearningRate;
        set { foreach (var group in inner.ParamGroups) group.LearningRate = value; }
    }

    public void Step() => inner.step();
    public void ZeroGrad() => inner.zero_grad();
    public void Dispose() => inner.Dispose();
}
