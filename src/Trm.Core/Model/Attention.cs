using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// Non-causal multi-head self-attention with a fused qkv projection (no bias), optional rotary
/// positions, the attention kernel (<see cref="AttentionKernel"/>), and an output projection.
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

    public CastedLinear QkvProj => qkvProj;
    public CastedLinear OProj => oProj;
    public int Heads => numHeads;
    public int HeadDim => headDim;

    // x (B, S, hidden) -> (B, S, hidden)
    public override Tensor forward(Tensor x, RotaryTables? rotary)
    {
        long batch = x.shape[0], seq = x.shape[1];
        var qkv = qkvProj.forward(x).view(batch, seq, 3 * numHeads, headDim);   // (B, S, 3 heads, D): q, k, v heads
        var qk = qkv.narrow(2, 0, 2 * numHeads);
        if (rotary is { } tables) qk = RotaryEmbedding.Apply(qk, tables);   // q and k rotated together
        var attended = AttentionKernel.Apply(qk.narrow(2, 0, numHeads), qk.narrow(2, numHeads, numHeads), qkv.narrow(2, 2 * numHeads, numHeads));
        return oProj.forward(attended);
    }
}
