using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// Exponential moving average of a module's trainable parameters (rate 0.999 in the paper),
/// used for evaluation and checkpoints: <c>shadow = (1 - rate) * p + rate * shadow</c> after each step.
/// Buffers (the puzzle-embedding table, H_init, L_init) are not averaged, as in the reference.
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    private readonly Dictionary<string, Tensor> shadow;

    public ExponentialMovingAverage(nn.Module module, double rate = 0.999)
    {
        Rate = rate;
        using var scope = NewDisposeScope();   // frees the detached aliases; the copies leave it
        using var noGrad = no_grad();
        shadow = module.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
    }

    public double Rate { get; }

    public IReadOnlyDictionary<string, Tensor> Shadow => shadow;

    public void Update(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
            if (shadow.TryGetValue(name, out var s)) s.mul_(Rate).add_(p, alpha: 1 - Rate);
    }

    /// <summary>Copies the averaged weights into <paramref name="module"/> (e.g. a copy used for evaluation).</summary>
    public void CopyTo(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
            if (shadow.TryGetValue(name, out var s)) p.copy_(s);
    }

    /// <summary>Copies saved averages (<c>ema.pt</c>) into the shadow weights; every one is checked (present, shape, floating point) before any is copied.</summary>
    public void Import(IReadOnlyDictionary<string, Tensor> saved, string source)
    {
        var checkedValues = shadow.ToDictionary(s => s.Key, s => SavedOptimizerState.Get(saved, s.Key, s.Value.shape, source, "EMA weight"));
        using var noGrad = no_grad();
        foreach (var (name, value) in checkedValues) shadow[name].copy_(value);
    }

    public void Dispose()
    {
        foreach (var s in shadow.Values) s.Dispose();
    }
}
