using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests;

/// <summary>Small configurations and random batches for fast tests.</summary>
public static class TinyModels
{
    /// <summary>Rows of <see cref="Batch"/>.</summary>
    public const int BatchSize = 4;

    public static TrmConfig Config(bool mlpT = false, string pos = "rope", string dtype = "float32", bool noActContinue = true) => new()
    {
        SeqLen = 16, VocabSize = 6, NumPuzzleIdentifiers = 5,
        HiddenSize = 32, NumHeads = 2, Expansion = 2, HCycles = 2, LCycles = 2, LLayers = 2,
        PosEncodings = ReferenceNames.Parse<PosEncoding>(pos, nameof(pos)), MlpT = mlpT, PuzzleEmbNdim = 32, PuzzleEmbLen = 2,
        HaltMaxSteps = 3, HaltExplorationProb = 0, NoActContinue = noActContinue, ForwardDtype = ReferenceNames.Parse<ForwardDtype>(dtype, nameof(dtype)),
    };

    /// <summary>Random tokens 1..vocab-1 and labels, with the last two label positions ignored.</summary>
    public static TrmBatch Batch(TrmConfig config, int seed = 0)
    {
        var generator = new Generator((ulong)seed);
        var inputs = randint(1, config.VocabSize, [BatchSize, config.SeqLen], generator: generator, dtype: ScalarType.Int32);
        var labels = randint(1, config.VocabSize, [BatchSize, config.SeqLen], generator: generator, dtype: ScalarType.Int64);
        labels[TensorIndex.Colon, TensorIndex.Slice(-2)] = tensor(-100L);
        var ids = randint(0, config.NumPuzzleIdentifiers, [BatchSize], generator: generator, dtype: ScalarType.Int32);
        return new TrmBatch(inputs, labels, ids);
    }
}

/// <summary>Whole-tensor comparisons (TorchSharp's <c>equal</c> is element-wise).</summary>
public static class TensorAssert
{
    public static void Identical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(expected.eq(actual).all().item<bool>(), "tensors differ");
    }

    /// <summary>Same shape, dtype and bytes (NaN payloads and the sign of zero included).</summary>
    public static void BitIdentical(Tensor expected, Tensor actual, string? name = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{name}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        Assert.True(expected.dtype == actual.dtype, $"{name}: dtype {actual.dtype}, expected {expected.dtype}");
        Assert.True(Trm.IO.TensorBytes.FromTensor(expected).AsSpan().SequenceEqual(Trm.IO.TensorBytes.FromTensor(actual)), $"{name}: bytes differ");
    }
}
