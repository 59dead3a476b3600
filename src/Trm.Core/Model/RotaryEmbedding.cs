using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// Tables of rotary position embedding, each (positions, head_dim), float32: cos, and sin with its first half negated
/// (so that rotating half of a vector needs no negation).
/// </summary>
public readonly record struct RotaryTables(Tensor Cos, Tensor SignedSin);

/// <summary>
/// Rotary position embedding (theta 10000 by default) in the "rotate half" layout over the full
/// head dimension. The tables are computed once and held as non-persistent buffers, so they follow
/// the module to its device but are not saved (the reference does not save them either).
/// </summary>
public sealed class RotaryEmbedding : nn.Module
{
    /// <summary>The buffers' names (not saved in a state dict).</summary>
    public const string CosName = "cos_cached", SignedSinName = "signed_sin_cached";

    public RotaryEmbedding(int headDim, int maxPositions, double theta) : base(nameof(RotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        var invFreq = 1.0 / pow(theta, arange(0, headDim, 2, ScalarType.Float32) / headDim);   // (D/2)
        var freqs = outer(arange(maxPositions, ScalarType.Float32), invFreq);                  // (P, D/2)
        var emb = cat([freqs, freqs], -1);                                                     // (P, D)
        var sin = freqs.sin();                                                                 // (P, D/2)
        register_buffer(CosName, emb.cos().MoveToOuterDisposeScope(), persistent: false);
        register_buffer(SignedSinName, cat([-sin, sin], -1).MoveToOuterDisposeScope(), persistent: false);
    }

    public RotaryTables Tables => new(get_buffer(CosName)!, get_buffer(SignedSinName)!);

    /// <summary>
    /// Rotates x (B, S, heads, D) in float32 and returns it in its own dtype: x * cos + rotate_half(x) * sin with
    /// rotate_half(x1, x2) = (-x2, x1), computed as x * cos + (x2, x1) * (-sin, sin), which gives the same bits with
    /// one copy less. q and k can go through together as one (B, S, 2 heads, D) slab.
    /// </summary>
    public static Tensor Apply(Tensor x, RotaryTables tables)
    {
        long batch = x.shape[0], seq = x.shape[1], heads = x.shape[2], headDim = x.shape[3];
        var x32 = x.to(tables.Cos.dtype);   // a float32 x (a narrow view of qkv) stays a view; reshape copies it once
        var swapped = x32.reshape(batch, seq, heads, 2, headDim / 2).flip(3).view(batch, seq, heads, headDim);   // (x2, x1)
        return (x32 * tables.Cos.unsqueeze(-2) + swapped * tables.SignedSin.unsqueeze(-2)).to(x.dtype);
    }
}
