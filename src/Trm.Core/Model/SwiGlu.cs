using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// SwiGLU feed-forward: one fused gate/up projection (first half gate, second half up), SiLU gate,
/// down projection. Width <c>inter = round_up(round(expansion * dim * 2/3), 256)</c>.
/// </summary>
public sealed class SwiGlu : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_up_proj")] private readonly CastedLinear gateUpProj;
    [ComponentName(Name = "down_proj")] private readonly CastedLinear downProj;

    public SwiGlu(int dim, double expansion) : base(nameof(SwiGlu))
    {
        var inter = InterSize(dim, expansion);
        gateUpProj = new CastedLinear(dim, 2 * inter, bias: false);
        downProj = new CastedLinear(inter, dim, bias: false);
        RegisterComponents();
    }

    /// <summary>The fused (2 inter, dim) projection: gate rows first, then up.</summary>
    public CastedLinear GateUpProj => gateUpProj;
    public CastedLinear DownProj => downProj;

    /// <summary>Python's round() rounds half to even, as <see cref="Math.Round(double)"/> does.</summary>
    public static long InterSize(int dim, double expansion)
    {
        var inter = (long)Math.Round(expansion * dim * 2 / 3);
        return (inter + 255) / 256 * 256;
    }

    // (..., dim) -> (..., dim)
    public override Tensor forward(Tensor x)
    {
        var gateUp = gateUpProj.forward(x).chunk(2, -1);
        return downProj.forward(nn.functional.silu(gateUp[0]) * gateUp[1]);
    }

    /// <summary>
    /// The same layer applied along axis 1 instead of the last: h (B, dim, features) -> (B, dim, features), equal to
    /// forward(h.transpose(1, 2)).transpose(1, 2) (the same products and sums) but with weight-on-the-left products
    /// that need no transposed copies. mlp_t mixes positions this way.
    /// </summary>
    public Tensor ForwardAlongAxis1(Tensor h)
    {
        var gateUp = matmul(gateUpProj.CastWeight(h.dtype), h).chunk(2, 1);                     // (B, inter, features) each
        return matmul(downProj.CastWeight(h.dtype), nn.functional.silu(gateUp[0]) * gateUp[1]);   // (B, dim, features)
    }
}
