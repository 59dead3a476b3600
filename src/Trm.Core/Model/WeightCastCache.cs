using TorchSharp;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// While open, the <see cref="CastedLinear"/> layers under a module use one copy of their weights cast to the forward
/// dtype for every application without gradient, instead of casting at each of the H_cycles x (L_cycles + 1)
/// applications of a supervision step. Applications with gradient still cast at each use, as the reference does, so
/// each use's weight gradient is cast back to float32 before the uses are summed. Nothing is cached in float32 (a
/// cast to the same dtype is free). Dispose it before the weights change.
/// </summary>
public sealed class WeightCastCache : IDisposable
{
    private readonly List<(CastedLinear Layer, Tensor Cast)> casts = [];

    public WeightCastCache(IEnumerable<nn.Module> roots, ScalarType dtype)
    {
        if (dtype == ScalarType.Float32) return;
        using var noGrad = no_grad();
        foreach (var layer in roots.SelectMany(root => root.modules().Prepend(root)).Distinct().OfType<CastedLinear>())   // modules() leaves out root itself
        {
            var cast = layer.Weight.to(dtype).DetachFromDisposeScope();
            layer.CachedCast = cast;
            casts.Add((layer, cast));
        }
    }

    public void Dispose()
    {
        foreach (var (layer, cast) in casts)
        {
            layer.CachedCast = null;
            cast.Dispose();
        }
        casts.Clear();
    }
}
