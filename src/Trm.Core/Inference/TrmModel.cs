using TorchSharp;
using Trm.Configuration;
using Trm.IO;
using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Inference;

/// <summary>One supervision step of one puzzle: the decoded answer (token ids) and the Q head's halting probability.</summary>
public sealed record SolveStep(int[] Answer, double HaltProbability);

/// <summary>
/// A model's answer to one puzzle: <see cref="Answer"/> (token ids, seq_len) taken at <see cref="StepsUsed"/>,
/// and every step's answer and confidence so a caller can see the refinement.
/// </summary>
public sealed record Solution(int[] Answer, int StepsUsed, IReadOnlyList<SolveStep> Steps);

/// <summary>
/// A trained TRM loaded once to solve many puzzles. Loads our checkpoint directories and the paper's
/// (<c>all_config.yaml</c> beside <c>step_N</c>); the architecture comes from the config, the vocabulary
/// and puzzle count from the weights, the sequence length from the puzzles.
/// </summary>
/// <example><code>
/// using var model = TrmModel.Load("checkpoints/sudoku4-1k-aug-7/trm-.../step_6250", ema: true);
/// var solutions = model.Solve([tokens1, tokens2]);   // token ids, e.g. digit + 1 for Sudoku
/// </code></example>
public sealed class TrmModel : IDisposable
{
    readonly Dictionary<string, Tensor> stateDict;
    readonly Device device;
    readonly Dictionary<int, ActLossHead> modelsBySeqLen = [];

    public TrainConfig Config { get; }
    public string WeightsFile { get; }
    public int VocabSize { get; }
    public int PuzzleIdentifiers { get; }

    TrmModel(TrainConfig config, string weightsFile, Dictionary<string, Tensor> stateDict, Device device)
    {
        (Config, WeightsFile, this.stateDict, this.device) = (config, weightsFile, stateDict, device);
        VocabSize = (int)Shape("model.inner.embed_tokens.embedding_weight", weightsFile)[0];
        PuzzleIdentifiers = stateDict.TryGetValue("model.inner.puzzle_emb.weights", out var table) ? (int)table.shape[0] : 1;
    }

    /// <param name="weights">A weights file instead of the directory's own; <paramref name="ema"/>: use <c>ema.pt</c>.</param>
    public static TrmModel Load(string checkpoint, bool ema = false, string? weights = null, string device = "cpu")
    {
        var config = CheckpointFiles.ReadConfig(checkpoint);
        var file = CheckpointFiles.WeightsFile(checkpoint, weights, ema);
        return new TrmModel(config, file, TorchCheckpointReader.ReadStateDict(file), DeviceSelection.Parse(device));
    }

    long[] Shape(string key, string source) => stateDict.TryGetValue(key, out var t) ? t.shape
        : throw new TrmException($"{source}: '{key}' is missing; this is not a TRM checkpoint.");

    /// <summary>
    /// Solves a batch of puzzles (token ids, all of one length). With <paramref name="adaptive"/> each
    /// puzzle's answer is the one of the first step whose q_halt &gt; 0 (the Q head says it is done),
    /// else the last; <paramref name="maxSteps"/> caps the steps (default: halt_max_steps).
    /// </summary>
    public IReadOnlyList<Solution> Solve(IReadOnlyList<int[]> puzzles, int puzzleIdentifier = 0, int? maxSteps = null, bool adaptive = true)
    {
        if (puzzles.Count == 0) return [];
        int seqLen = puzzles[0].Length;
        foreach (var (puzzle, index) in puzzles.Select((p, i) => (p, i)))
        {
            if (puzzle.Length != seqLen) throw new TrmException($"puzzle {index} has {puzzle.Length} tokens, puzzle 0 has {seqLen}; solve puzzles of one size together.");
            if (puzzle.Any(t => t < 0 || t >= VocabSize)) throw new TrmException($"puzzle {index} holds a token outside the model's vocabulary [0, {VocabSize}).");
        }
        if (puzzleIdentifier < 0 || puzzleIdentifier >= PuzzleIdentifiers) throw new TrmException($"puzzle identifier {puzzleIdentifier} is not in the model's [0, {PuzzleIdentifiers}).");

        var model = ModelFor(seqLen, puzzles.Count);
        int steps = maxSteps ?? Config.Arch.Model.HaltMaxSteps;
        var history = puzzles.Select(_ => new List<SolveStep>()).ToArray();
        using (var scope = NewDisposeScope())
        using (var inference = inference_mode())
        {
            var batch = new TrmBatch(
                tensor(puzzles.SelectMany(p => p).ToArray(), [puzzles.Count, seqLen]).to(device),
                full([puzzles.Count, seqLen], ActLossHead.IgnoreLabelId, ScalarType.Int32, device),
                full([puzzles.Count], puzzleIdentifier, ScalarType.Int32, device));
            var carry = model.InitialCarry(batch);
            for (int step = 0; step < steps; step++)
            {
                var result = model.Forward(carry, batch);
                carry = result.Carry;
                var answers = result.Predictions.to(ScalarType.Int32).cpu().data<int>().ToArray();
                var halt = sigmoid(result.Outputs.QHaltLogits.to(ScalarType.Float64)).cpu().data<double>().ToArray();
                for (int i = 0; i < puzzles.Count; i++) history[i].Add(new SolveStep(answers[(i * seqLen)..((i + 1) * seqLen)], halt[i]));
            }
        }
        return history.Select(h =>
        {
            int used = adaptive ? h.FindIndex(s => s.HaltProbability > 0.5) + 1 : 0;
            if (used == 0) used = h.Count;
            return new Solution(h[used - 1].Answer, used, h);
        }).ToList();
    }

    /// <summary>The network for one sequence length (rope and no-position models serve any length; others only the trained one).</summary>
    ActLossHead ModelFor(int seqLen, int batchSize)
    {
        if (modelsBySeqLen.TryGetValue(seqLen, out var cached)) return cached;
        // Stepping is driven here, so the model itself must never halt.
        var config = Config.Arch.ModelFor(batchSize, seqLen, VocabSize, PuzzleIdentifiers) with { HaltMaxSteps = int.MaxValue };
        var model = new ActLossHead(config, Config.Arch.Loss.LossType);
        model.to(device);
        StateDictLoader.Load(model, stateDict, WeightsFile);
        model.eval();
        return modelsBySeqLen[seqLen] = model;
    }

    public void Dispose()
    {
        foreach (var model in modelsBySeqLen.Values) model.Dispose();
        foreach (var tensor in stateDict.Values) tensor.Dispose();
    }
}
