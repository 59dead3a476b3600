using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// One post-norm layer: a mixing step along the sequence (self-attention, or with <c>mlp_t</c> a
/// SwiGLU across positions), then a SwiGLU across features; each adds a residual and RMS-normalises.
/// </summary>
public sealed class TrmBlock : nn.Module<Tensor, RotaryTables?, Tensor>
{
    [ComponentName(Name = "self_attn")] private readonly Attention? selfAttn;
    [ComponentName(Name = "mlp_t")] private readonly SwiGlu? mlpT;
    private readonly SwiGlu mlp;
    private readonly double eps;

    public TrmBlock(TrmConfig config) : base(nameof(TrmBlock))
    {
        if (config.MlpT) mlpT = new SwiGlu(config.TotalSeqLen, config.Expansion);
        else selfAttn = new Attention(config.HiddenSize, config.NumHeads);
        mlp = new SwiGlu(config.HiddenSize, config.Expansion);
        eps = config.RmsNormEps;
        RegisterComponents();
    }

    /// <summary>The mixing along the sequence: self-attention, or with mlp_t null (see <see cref="MlpT"/>).</summary>
    public Attention? SelfAttention => selfAttn;
    /// <summary>With mlp_t, the SwiGLU across positions; else null.</summary>
    public SwiGlu? MlpT => mlpT;
    /// <summary>The SwiGLU across features.</summary>
    public SwiGlu Mlp => mlp;

    // h (B, L, D) -> (B, L, D)
    public override Tensor forward(Tensor h, RotaryTables? rotary)
    {
        if (mlpT is not null)
        {
            // Mix across positions: the reference transposes to (B, D, L) for this and also normalises over L. Without
            // gradient in bfloat16 the weight-on-the-left form, which needs no transposed copies, is faster; with gradient
            // or in float32 it is slower than the transposed form (docs/PERFORMANCE.md). Both compute the same values.
            if (!is_grad_enabled() && h.dtype != ScalarType.Float32)
                h = RmsNorm.Apply(h + mlpT.ForwardAlongAxis1(h), eps, dim: 1);
            else
            {
                var t = h.transpose(1, 2);
                h = RmsNorm.Apply(t + mlpT.forward(t), eps).transpose(1, 2);
            }
        }
        else
        {
            h = RmsNorm.Apply(h + selfAttn!.forward(h, rotary), eps);
        }
        return RmsNorm.Apply(h + mlp.forward(h), eps);
    }
}
