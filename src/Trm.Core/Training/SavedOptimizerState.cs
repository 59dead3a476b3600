using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>Reading an optimizer's saved state: each key present, with the shape the optimizer needs, or an error naming the file.</summary>
static class SavedOptimizerState
{
    public static Tensor Get(IReadOnlyDictionary<string, Tensor> state, string key, long[] shape, string source)
    {
        if (!state.TryGetValue(key, out var t)) throw new TrmException($"{source}: optimizer state '{key}' is missing; the checkpoint is damaged or from another model.");
        if (!t.shape.SequenceEqual(shape)) throw new TrmException($"{source}: optimizer state '{key}' has shape [{string.Join(", ", t.shape)}], the model needs [{string.Join(", ", shape)}].");
        return t;
    }

    /// <summary>A saved step count (a 0-dim tensor of any integer or float dtype).</summary>
    public static long Count(IReadOnlyDictionary<string, Tensor> state, string key, string source)
    {
        using var scope = NewDisposeScope();   // frees the conversion (to may also return the caller's tensor itself)
        return Get(state, key, [], source).to(ScalarType.Int64).item<long>();
    }
}
