using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>Reading saved training state (an optimizer's, EMA's): each key present, with the shape and kind of dtype the model needs, or an error naming the file.</summary>
static class SavedOptimizerState
{
    /// <param name="what">What the tensors are, in errors: "optimizer state", "EMA weight".</param>
    /// <param name="floating">The tensor must hold floating-point values (moments, weights); a count may hold any number.</param>
    public static Tensor Get(IReadOnlyDictionary<string, Tensor> state, string key, long[] shape, string source, string what = "optimizer state", bool floating = true)
    {
        if (!state.TryGetValue(key, out var t)) throw new TrmException($"{source}: {what} '{key}' is missing; the checkpoint is damaged or from another model.");
        if (!t.shape.SequenceEqual(shape)) throw new TrmException($"{source}: {what} '{key}' has shape [{string.Join(", ", t.shape)}], the model needs [{string.Join(", ", shape)}].");
        if (floating ? !t.is_floating_point() : t.dtype is ScalarType.Bool || t.is_complex())
            throw new TrmException($"{source}: {what} '{key}' holds {t.dtype}, not {(floating ? "floating-point values" : "a number")}; the checkpoint is damaged.");
        return t;
    }

    /// <summary>A saved step count (a 0-dim tensor of any integer or float dtype).</summary>
    public static long Count(IReadOnlyDictionary<string, Tensor> state, string key, string source)
    {
        using var scope = NewDisposeScope();   // frees the conversion (to may also return the caller's tensor itself)
        long count = Get(state, key, [], source, floating: false).to(ScalarType.Int64).item<long>();
        return count >= 0 ? count : throw new TrmException($"{source}: optimizer state '{key}' is {count}, a step count cannot be negative; the checkpoint is damaged.");
    }
}
