using TorchSharp;
using Trm.Configuration;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Checkpoints;

/// <summary>The sizes a model is built for beyond its <c>arch</c>: batch size, and what the data gives (sequence length, vocabulary, puzzle count).</summary>
public sealed record ModelLayout(int SeqLen, int VocabSize, int NumPuzzleIdentifiers);

/// <summary>
/// Configuration + weights -> a loaded <see cref="ActLossHead"/>: the one path by which <c>trm eval</c>, <c>trm convert</c>
/// and tests turn a checkpoint (ours, or the paper's <c>all_config.yaml</c> + <c>step_N</c>) into a model. Weights are
/// read in either format, PyTorch (<c>.pt</c>, <c>step_N</c>) or safetensors (<c>.safetensors</c>).
/// </summary>
public static class CheckpointModel
{
    public const string TokenEmbeddingKey = "model.inner.embed_tokens.embedding_weight";
    public const string PuzzleEmbeddingKey = "model.inner.puzzle_emb.weights";
    public const string PositionEmbeddingKey = "model.inner.embed_pos.embedding_weight";
    const string MlpTDownProjection = ".mlp_t.down_proj.weight";

    /// <summary>A state dict from a weights file: safetensors by the <c>.safetensors</c> extension, else PyTorch; <c>_orig_mod.</c> prefixes stripped.</summary>
    public static Dictionary<string, Tensor> ReadWeights(string file)
    {
        if (!IsSafetensors(file)) return TorchCheckpointReader.ReadStateDict(file);
        var tensors = SafetensorsReader.Read(file).Tensors;
        return tensors.ToDictionary(e => e.Key.StartsWith(TorchCheckpointReader.CompiledPrefix, StringComparison.Ordinal)
            ? e.Key[TorchCheckpointReader.CompiledPrefix.Length..] : e.Key, e => e.Value);
    }

    public static bool IsSafetensors(string file) => file.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the model on <paramref name="device"/> and loads a weights file into it; the tensors read are freed once copied.</summary>
    public static ActLossHead Load(ArchConfig arch, ModelLayout layout, string weightsFile, Device device)
    {
        var weights = ReadWeights(weightsFile);
        try
        {
            return Load(arch, layout, weights, weightsFile, device);
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    /// <summary>Builds the model on <paramref name="device"/> and copies <paramref name="weights"/> into it (checked: names every missing, extra or mis-shaped key).</summary>
    public static ActLossHead Load(ArchConfig arch, ModelLayout layout, IReadOnlyDictionary<string, Tensor> weights, string source, Device device)
    {
        var config = arch.ModelFor(layout.SeqLen, layout.VocabSize, layout.NumPuzzleIdentifiers);
        RequireWeightsFor(config, weights, source);
        var model = new ActLossHead(config, arch.Loss.LossType);
        try
        {
            model.to(device);
            StateDictLoader.Load(model, weights, source);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses, before the model is built, a configuration that describes a model far larger than the weights (a hostile or
    /// mistaken all_config.yaml beside a small model.pt): loading would fail anyway, after allocating it. Twice the values the
    /// weights hold and a million more is the bound, as for what a checkpoint file may declare.
    /// </summary>
    static void RequireWeightsFor(TrmConfig config, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        long held = weights.Values.Sum(t => t.numel()), needed = config.StateValues();
        if (needed > 2 * held + (1L << 20))
            throw new TrmException($"{source} holds {held:N0} values, but the configuration describes a model of {(needed == long.MaxValue ? "more than 9.2e18" : $"{needed:N0}")} " +
                $"({config.DescribeSize()}). Check that the configuration (all_config.yaml, manifest or flags) is the one the checkpoint was trained with.");
    }

    /// <summary>
    /// The layout the weights were trained for: vocabulary and puzzle count from their shapes, the sequence length
    /// from learned positions or <c>mlp_t</c> weights, else <paramref name="seqLen"/> (rope and no positions fit any length).
    /// </summary>
    public static ModelLayout LayoutOf(ArchConfig arch, IReadOnlyDictionary<string, Tensor> weights, string source, int? seqLen = null)
    {
        var tokens = weights.TryGetValue(TokenEmbeddingKey, out var t) ? t
            : throw new TrmException($"{source}: '{TokenEmbeddingKey}' is missing; this is not a TRM checkpoint.");
        int puzzles = weights.TryGetValue(PuzzleEmbeddingKey, out var table) ? checked((int)table.shape[0]) : 1;
        int puzzleLen = arch.Model.EffectivePuzzleEmbLen;
        long? total = weights.TryGetValue(PositionEmbeddingKey, out var positions) ? positions.shape[0]
            : weights.FirstOrDefault(w => w.Key.EndsWith(MlpTDownProjection, StringComparison.Ordinal)).Value?.shape[0];
        if (total is long length && length <= puzzleLen)
            throw new TrmException($"{source}: the weights span {length} positions, no more than puzzle_emb_len ({puzzleLen}) of the configuration; the configuration does not fit these weights.");
        return new ModelLayout(total is long n ? checked((int)(n - puzzleLen)) : seqLen ?? 1, checked((int)tokens.shape[0]), puzzles);
    }

    /// <summary>
    /// Checks that the weights fit <paramref name="arch"/> exactly as loading would (same messages), without allocating
    /// the puzzle-embedding table a model would hold (it can be gigabytes).
    /// </summary>
    public static void CheckFits(ArchConfig arch, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var layout = LayoutOf(arch, weights, source);
        var config = arch.ModelFor(layout.SeqLen, layout.VocabSize, 1);
        RequireWeightsFor(config, weights, source);
        using var model = new ActLossHead(config, arch.Loss.LossType);
        var expected = model.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        if (expected.TryGetValue(PuzzleEmbeddingKey, out var row)) expected[PuzzleEmbeddingKey] = [layout.NumPuzzleIdentifiers, row[1]];
        StateDictLoader.Check(expected, weights, source);
    }
}
