using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>cos and sin tables of rotary position embedding, each (positions, head_dim), float32.</summary>
public readonly record struct RotaryTables(Tensor Cos, Tensor Sin);

/// <summary>
/// Rotary position embedding (theta 10000 by default) in the "rotate half" layout over the full
/// head dimension. The tables are computed once and held as non-persistent buffers, so they follow
/// the module to its device but are not saved (the reference does not save them either).
/// </summary>
public sealed class RotaryEmbedding : nn.Module
{
    public RotaryEmbedding(int headDim, int maxPositions, double theta) : base(nameof(RotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        var invFreq = 1.0 / pow(theta, arange(0, headDim, 2, ScalarType.Float32) / headDim);   // (D/2)
        var freqs = outer(arange(maxPositions, ScalarType.Float32), invFreq);                  // (P, D/2)
        var emb = cat([freqs, freqs], -1);                                                     // (P, D)
        register_buffer("cos_cached", emb.cos().MoveToOuterDisposeScope(), persistent: false);
        register_buffer("sin_cached", emb.sin().MoveToOuterDisposeScope(), persistent: false);
    }

    public RotaryTables Tables => new(get_buffer("cos_cached")!, get_buffer("sin_cached")!);

    /// <summary>Rotates q and k, each (B, S, heads, D), in float32; returns them in their own dtype.</summary>
    public static (Tensor q, Tensor k) Apply(Tensor q, Tensor k, RotaryTables tables)
    {
        var dtype = q.dtype;
        var cos = tables.Cos.unsqueeze(-2);   // (S, 1, D)
        var sin = tables.Sin.unsqueeze(-2);
        Tensor Rotate(Tensor x)
        {
            x = x.to(tables.Cos.dtype);
            return (x * cos + RotateHalf(x) * sin).to(dtype);
        }
        return (Rotate(q), Rotate(k));
    }

    // (x1, x2) -> (-x2, x1) over the last dimension
    static Tensor RotateHalf(Tensor x)
    {
        var half = x.shape[^1] / 2;
        return cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
    }
}
