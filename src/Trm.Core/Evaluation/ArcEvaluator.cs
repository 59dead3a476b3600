using System.Text.Json;
using Trm.IO;
using Trm.Puzzles.Arc;

namespace Trm.Evaluation;

/// <summary>
/// Scores ARC as the reference's <c>evaluators/arc.py</c>: every prediction (on the original puzzle or an augmented
/// copy) is cropped to its grid, mapped back to the original colours and orientation, and counted as a vote for the
/// test input whose grid its own input becomes. Per test input the distinct answers are ranked by votes, then by mean
/// sigmoid(q_halt); <c>ARC/pass@K</c> is the share of a puzzle's test inputs whose solution is among the top K,
/// averaged over the puzzles of <c>test_puzzles.json</c>. Only one grid per distinct answer is kept in memory.
/// </summary>
public sealed class ArcEvaluator
{
    public const string IdentifiersFile = "identifiers.json", TestPuzzlesFile = "test_puzzles.json", SubmissionFile = "submission.json";

    /// <summary>The identifier of padding rows, <c>&lt;blank&gt;</c> in <c>identifiers.json</c>.</summary>
    public const int BlankIdentifier = 0;

    sealed record TestPuzzle(string Id, IReadOnlyList<(string InputHash, string OutputHash)> Pairs);

    static readonly JsonSerializerOptions SubmissionJson = new() { Converters = { new ArcGridJsonConverter() } };

    readonly ArcEvaluatorOptions options;
    readonly string identifiersPath;
    readonly string[] identifiers;
    readonly List<TestPuzzle> testPuzzles;
    readonly Dictionary<string, TestPuzzle> testPuzzlesById;
    readonly Dictionary<int, (string PuzzleId, ArcAugmentation Augmentation)> augmentations = [];
    readonly ArcVotes votes = new();

    /// <summary>Reads <c>identifiers.json</c> and <c>test_puzzles.json</c> from an ARC dataset directory.</summary>
    public ArcEvaluator(string datasetDirectory, ArcEvaluatorOptions? options = null)
    {
        this.options = (options ?? new()).Validate("ARC evaluator");
        identifiersPath = Path.Combine(datasetDirectory, IdentifiersFile);
        identifiers = ReadIdentifiers(datasetDirectory, "the ARC evaluator");
        var testPuzzlesPath = Path.Combine(datasetDirectory, TestPuzzlesFile);
        if (!File.Exists(testPuzzlesPath))
            throw new TrmException($"{testPuzzlesPath} not found: the ARC evaluator needs the {TestPuzzlesFile} an ARC build writes (ArcDatasetBuilder), " +
                "holding the held-out puzzles with their solutions.");
        testPuzzles = [.. ArcPuzzleReader.ReadChallenges(testPuzzlesPath).Select(p => new TestPuzzle(p.Id,
            [.. p.Test.Select(pair => (ArcPuzzleHash.OfGrid(pair.Input), ArcPuzzleHash.OfGrid(pair.Output)))]))];
        if (testPuzzles.Count == 0) throw new TrmException($"{testPuzzlesPath}: holds no puzzles; there is nothing to score.");
        testPuzzlesById = testPuzzles.ToDictionary(p => p.Id);
    }

    /// <summary>Call before each evaluation: forgets earlier votes unless <see cref="ArcEvaluatorOptions.AggregatedVoting"/>.</summary>
    public void BeginEval()
    {
        if (options.AggregatedVoting) return;
        votes.Clear();
    }

    /// <summary>Reads a dataset's <c>identifiers.json</c> (identifier -&gt; puzzle name); <paramref name="reader"/> says who needs it.</summary>
    public static string[] ReadIdentifiers(string datasetDirectory, string reader) =>
        JsonFile.Read<string[]>(Path.Combine(datasetDirectory, IdentifiersFile), "a JSON list of puzzle names (identifier -> name)",
            $"{reader} needs the {IdentifiersFile} an ARC build writes (ArcDatasetBuilder); is {datasetDirectory} an ARC dataset?");

    /// <summary>
    /// Counts one batch's predictions. Rows of padding, of puzzles outside <c>test_puzzles.json</c>, or whose input is
    /// none of its puzzle's test inputs are ignored (the reference keeps them but never reads them).
    /// </summary>
    public void Update(BatchPredictions batch)
    {
        int rows = batch.PuzzleIdentifiers.Length;
        if (batch.Inputs.Length != rows || batch.Predictions.Length != rows || batch.QHaltLogits.Length != rows)
            throw new ArgumentException($"batch '{batch.Set}' has {rows} identifiers, {batch.Inputs.Length} inputs, " +
                $"{batch.Predictions.Length} predictions and {batch.QHaltLogits.Length} q_halt logits; they must match", nameof(batch));
        for (int row = 0; row < rows; row++)
        {
            int identifier = batch.PuzzleIdentifiers[row];
            if (identifier == BlankIdentifier) continue;
            var (puzzleId, augmentation) = Augmentation(identifier);
            if (!testPuzzlesById.TryGetValue(puzzleId, out var puzzle)) continue;

            var inputHash = ArcPuzzleHash.OfGrid(augmentation.Invert(Decode(batch.Inputs[row], batch.Set)));
            if (!puzzle.Pairs.Any(p => p.InputHash == inputHash)) continue;

            votes.Add(puzzleId, inputHash, augmentation, Decode(batch.Predictions[row], batch.Set), ArcVotes.Confidence(batch.QHaltLogits[row]));
        }
    }

    /// <summary>
    /// <c>ARC/pass@K</c> for each K; with <paramref name="outputDirectory"/>, also writes <c>submission.json</c> there:
    /// puzzle id -> per test input (in order) {"attempt_1": grid, ...} up to submission_K, the best answer repeated when
    /// there are fewer. As in the reference, a test input without any prediction scores 0 and is left out of the
    /// submission; <paramref name="warn"/> hears which.
    /// </summary>
    public IReadOnlyDictionary<string, double> Result(string? outputDirectory = null, Action<string>? warn = null)
    {
        var submission = new OrderedDictionary<string, List<OrderedDictionary<string, byte[,]>>>();
        var passed = new double[options.PassKs.Count];
        var unanswered = new List<string>();
        foreach (var puzzle in testPuzzles)
        {
            var attempts = submission[puzzle.Id] = [];
            var solved = new int[options.PassKs.Count];
            for (int t = 0; t < puzzle.Pairs.Count; t++)
            {
                var (inputHash, outputHash) = puzzle.Pairs[t];
                if (votes.Ranked(puzzle.Id, inputHash) is not { } ranked)
                {
                    unanswered.Add(puzzle.Pairs.Count == 1 ? puzzle.Id : $"{puzzle.Id} test {t}");
                    continue;
                }
                for (int k = 0; k < passed.Length; k++)
                    if (ranked.Take(options.PassKs[k]).Any(c => c.Hash == outputHash)) solved[k]++;

                var best = votes.Attempts(ranked, options.SubmissionK);
                attempts.Add(new(best.Select((grid, i) => KeyValuePair.Create($"attempt_{i + 1}", grid))));
            }
            for (int k = 0; k < passed.Length; k++) passed[k] += (double)solved[k] / puzzle.Pairs.Count;
        }

        if (unanswered.Count > 0)
            warn?.Invoke($"ARC: {unanswered.Count} test input(s) got no predictions and score 0: {string.Join(", ", unanswered.Take(10))}{(unanswered.Count > 10 ? ", ..." : "")}.");
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            File.WriteAllText(Path.Combine(outputDirectory, SubmissionFile), JsonSerializer.Serialize(submission, SubmissionJson));
        }
        var metrics = new Dictionary<string, double>();
        for (int k = 0; k < passed.Length; k++) metrics[$"ARC/pass@{options.PassKs[k]}"] = passed[k] / testPuzzles.Count;
        return metrics;
    }

    (string PuzzleId, ArcAugmentation Augmentation) Augmentation(int identifier)
    {
        if (augmentations.TryGetValue(identifier, out var parsed)) return parsed;
        if (identifier < 0 || identifier >= identifiers.Length)
            throw new TrmException($"puzzle identifier {identifier} is not in {identifiersPath} ({identifiers.Length} names); evaluate with the dataset the model was trained on.");
        return augmentations[identifier] = ArcAugmentation.Parse(identifiers[identifier]);
    }

    static byte[,] Decode(int[] canvas, string set) =>
        canvas.Length == ArcCanvas.Length ? ArcCanvas.Decode<int>(canvas)
            : throw new TrmException($"set '{set}': a row has {canvas.Length} tokens; the ARC evaluator reads {ArcCanvas.Size}x{ArcCanvas.Size} canvases ({ArcCanvas.Length}). Is this an ARC dataset?");
}
