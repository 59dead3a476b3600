using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// A linear layer whose float32 weights are cast to the input's dtype at each use (so bfloat16
/// activations keep float32 master weights). LeCun truncated-normal init, zero bias.
/// </summary>
public sealed class CastedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public CastedLinear(long inFeatures, long outFeatures, bool bias) : base(nameof(CastedLinear))
    {
        weight = new Parameter(TruncatedNormal.Sample([outFeatures, inFeatures], 1.0 / Math.Sqrt(inFeatures)));
        this.bias = bias ? new Parameter(zeros(outFeatures)) : null;
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    /// <summary>The weight already cast to the forward dtype, for applications without gradient; set by <see cref="WeightCastCache"/>.</summary>
    internal Tensor? CachedCast { get; set; }

    // (..., in) -> (..., out)
    public override Tensor forward(Tensor input) => nn.functional.linear(input, CastWeight(input.dtype), bias?.to(input.dtype));

    /// <summary>The weight (out, in) in <paramref name="dtype"/>: the cached cast without gradient if there is one, else a fresh cast.</summary>
    public Tensor CastWeight(ScalarType dtype) =>
        CachedCast is { } cached && cached.dtype == dtype && !is_grad_enabled() ? cached : weight.to(dtype);
}
