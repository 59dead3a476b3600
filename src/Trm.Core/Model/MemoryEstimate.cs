using Trm.Limits;

namespace Trm.Model;

/// <summary>
/// The memory a model of <see cref="Config"/> needs, counted from its configuration before anything is allocated, so that a run
/// that cannot fit is refused with the limit instead of failing (or swapping) halfway. Bytes, 64-bit, saturating:
/// <code>
/// P = state values (StateValues), E = the puzzle-embedding table (a buffer: no gradient, no Adam state, no EMA)
/// S = puzzle_emb_len + seq_len, D = hidden_size, I = SwiGLU width, It = mlp_t width, H = num_heads, L = latents
/// weights     4 P
/// training    + (P - E) x (4 gradients + 8 Adam's two moments + 20 its step's temporaries + 4 EMA + 2 bfloat16 weight copies)
/// block       S D 24 + S I 8 + (mlp_t ? D It 8 + S D 8 : 4 H S S)        values kept by one layer for the backward
/// example     training: with-gradient applications x layers x block x 4 + carry 4 L S D + logits 16 seq_len V
///             inference: one layer's block x 4 (transient) + carry 4 L S D + logits 8 seq_len V
/// </code>
/// The counts follow what libtorch keeps for the backward of each operation (inputs and outputs of products, norms, rotary,
/// gates, attention scores and their softmax) and what Adam-atan2's step holds at once (five temporaries per weight, freed
/// together); measured on three model sizes they are within 2x of the peak (<c>MemoryEstimateTests</c>). The process
/// itself (runtime and libtorch) adds <see cref="ProcessBytes"/>.
/// </summary>
public sealed record MemoryEstimate(TrmConfig Config)
{
    /// <summary>What the .NET runtime and libtorch take before any model (about 300 MB measured; rounded up).</summary>
    public const long ProcessBytes = 512L << 20;

    long Values => Config.StateValues();
    long EmbeddingTable => Config.PuzzleEmbNdim > 0 ? Mul(Config.NumPuzzleIdentifiers, Config.PuzzleEmbNdim) : 0;

    /// <summary>The weights in float32.</summary>
    public long WeightBytes => Mul(Values, 4);

    /// <summary>Weights, their gradients, Adam's moments, the EMA copy (when <paramref name="ema"/>) and bfloat16 copies (when the model computes in bfloat16).</summary>
    public long TrainingStateBytes(bool ema)
    {
        long trained = Values - EmbeddingTable;
        long perValue = 4 + 8 + 20 + (ema ? 4 : 0) + (Config.ForwardDtype == ForwardDtype.BFloat16 ? 2 : 0);
        return Add(WeightBytes, Mul(trained, perValue));
    }

    /// <summary>Values one layer keeps for the backward, per example.</summary>
    long BlockValues
    {
        get
        {
            long s = Config.TotalSeqLen, d = Config.HiddenSize;
            long mixing = Config.MlpT ? Add(Mul(Mul(d, SwiGlu.InterSize(Config.TotalSeqLen, Config.Expansion)), 8), Mul(Mul(s, d), 8))
                : Mul(Mul(4L * Config.NumHeads, s), s);
            return Add(Add(Mul(Mul(s, d), 24), Mul(Mul(s, SwiGlu.InterSize(Config.HiddenSize, Config.Expansion)), 8)), mixing);
        }
    }

    long CarryBytes => Mul(Mul(4L * Config.LatentCount, Config.TotalSeqLen), Config.HiddenSize);

    /// <summary>Bytes one training example adds: what every layer applied with gradient keeps, the carry and the logits with their gradients.</summary>
    public long TrainingBytesPerExample
    {
        get
        {
            long layersWithGradient = ArchitectureDefinition.Of(Config.Architecture).Levels(Config).Aggregate(0L, (sum, level) => Add(sum, Mul(level.WithGradient, level.Layers)));
            return Add(Add(Mul(Mul(layersWithGradient, BlockValues), 4), CarryBytes), Mul(16L * Config.SeqLen, Config.VocabSize));
        }
    }

    /// <summary>Bytes one example in flight adds in inference: one layer's values at a time, the carry and the logits.</summary>
    public long InferenceBytesPerExample => Add(Add(Mul(BlockValues, 4), CarryBytes), Mul(8L * Config.SeqLen, Config.VocabSize));

    /// <summary>Training at <paramref name="batch"/> examples per process.</summary>
    public long Training(long batch, bool ema) => Add(TrainingStateBytes(ema), Mul(batch, TrainingBytesPerExample));

    /// <summary>Inference with <paramref name="batch"/> examples in flight.</summary>
    public long Inference(long batch) => Add(WeightBytes, Mul(batch, InferenceBytesPerExample));

    /// <summary>One checkpoint on disk: weights, EMA, Adam's moments (float32) and the carry of <paramref name="batch"/> examples.</summary>
    public long CheckpointBytes(long batch, bool ema) => Add(Mul(Values, ema ? 16 : 12), Mul(batch, CarryBytes));

    /// <summary>Refuses training at <paramref name="batch"/> examples per process when it cannot fit <paramref name="memoryBytes"/>
    /// (a <see cref="TrmSettingsException"/> naming <paramref name="setting"/>, with the batch that would fit).</summary>
    public void RequireTrainingFits(string setting, long batch, bool ema, long memoryBytes) =>
        RequireFits(setting, batch, TrainingStateBytes(ema), TrainingBytesPerExample, memoryBytes, "training");

    /// <summary>Refuses <paramref name="batch"/> examples in flight in inference when they cannot fit <paramref name="memoryBytes"/>.</summary>
    public void RequireInferenceFits(string setting, long batch, long memoryBytes) =>
        RequireFits(setting, batch, WeightBytes, InferenceBytesPerExample, memoryBytes, "inference");

    void RequireFits(string setting, long batch, long fixedBytes, long perExample, long memoryBytes, string what)
    {
        long room = memoryBytes - ProcessBytes;
        long needed = Add(fixedBytes, Mul(batch, perExample));
        if (needed <= room) return;
        long fits = room <= fixedBytes ? 0 : (room - fixedBytes) / Math.Max(perExample, 1);
        throw new TrmSettingsException(name => $"{name(setting)} {batch}: {what} needs about {Gb(needed)} GB ({Gb(fixedBytes)} GB for the model and its state, " +
            $"{Gb(perExample) * 1000:#,0.###} MB per example), more than the {Gb(room)} GB this machine has beside the process's {Gb(ProcessBytes)} GB; " +
            (fits >= 1 ? $"lower {name(setting)} to at most {Math.Min(fits, UserLimits.MaxBatchSize)}."
                : $"the model alone does not fit ({Config.DescribeSize()}): lower hidden_size, expansion or the layers, or check the dataset's sizes."));
    }

    /// <summary>The machine's memory as the runtime sees it (a container's limit included).</summary>
    public static long MachineBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    static double Gb(long bytes) => Math.Round(bytes / 1e9, 3);

    // Saturating 64-bit arithmetic: an absurd size compares as long.MaxValue instead of wrapping.
    static long Mul(long a, long b)
    {
        try { return checked(a * b); } catch (OverflowException) { return long.MaxValue; }
    }

    static long Add(long a, long b)
    {
        try { return checked(a + b); } catch (OverflowException) { return long.MaxValue; }
    }
}
