using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>An embedding table kept in float32 and looked up in the forward dtype.</summary>
public sealed class CastedEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "embedding_weight")]
    private readonly Parameter embeddingWeight;
    private readonly ScalarType castTo;

    public CastedEmbedding(long count, long dim, double initStd, ScalarType castTo) : base(nameof(CastedEmbedding))
    {
        embeddingWeight = new Parameter(TruncatedNormal.Sample([count, dim], initStd));
        this.castTo = castTo;
        RegisterComponents();
    }

    /// <summary>The table (count, dim), float32.</summary>
    public Tensor Weight => embeddingWeight;

    /// <summary>The whole table in the forward dtype (learned positions use it directly).</summary>
    public Tensor CastWeight() => embeddingWeight.to(castTo);

    // ids (...) -> (..., dim)
    public override Tensor forward(Tensor ids)
    {
        var rows = CastWeight().index_select(0, ids.flatten());
        return rows.view([.. ids.shape, embeddingWeight.shape[1]]);
    }
}
