using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// Non-causal multi-head self-attention with a fused qkv projection (no bias), optional rotary
/// positions, PyTorch's scaled-dot-product kernel, and an output projection.
/// </summary>
public sealed class Attention : nn.Module<Tensor, RotaryTables?, Tensor>
{
    [ComponentName(Name = "qkv_proj")] private readonly CastedLinear qkvProj;
    [ComponentName(Name = "o_proj")] private readonly CastedLinear oProj;
    private readonly int numHeads;
    private readonly int headDim;

    public Attention(int hiddenSize, int numHeads) : base(nameof(Attention))
    {
        this.numHeads = numHeads;
        headDim = hiddenSize / numHeads;
        qkvProj = new CastedLinear(hiddenSize, 3 * numHeads * headDim, bias: false);
        oProj = new CastedLinear(numHeads * headDim, hiddenSize, bias: false);
        RegisterComponents();
    }

    // x (B, S, hidden) -> (B, S, hidden)
    public override Tensor forward(Tensor x, RotaryTables? rotary)
    {
        long batch = x.shape[0], seq = x.shape[1];
        var qkv = qkvProj.forward(x).view(batch, seq, 3 * numHeads, headDim);   // (B, S, 3H, D)
        var q = qkv.narrow(2, 0, numHeads);
        var k = qkv.narrow(2, numHeads, numHeads);
        var v = qkv.narrow(2, 2 * numHeads, numHeads);
        if (rotary is { } tables) (q, k) = RotaryEmbedding.Apply(q, k, tables);

        // (B, S, H, D) -> (B, H, S, D) for the kernel, and back
        var attended = nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2));
        return oProj.forward(attended.transpose(1, 2).reshape(batch, seq, numHeads * headDim));
    }
}
