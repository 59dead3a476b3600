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

    // (..., in) -> (..., out)
    public override Tensor forward(Tensor input) =>
        nn.functional.linear(input, weight.to(input.dtype), bias?.to(input.dtype));
}
