using Trm.IO;

namespace Trm.Data;

/// <summary>
/// One split (<c>train</c> or <c>test</c>) of one or more dataset directories, merged as the reference
/// merges them: the token layout must agree, counts add up, and the sets of the second directory on
/// are named <c>all1</c>, <c>all2</c>, ... Each set is iterated on its own.
/// </summary>
public sealed class PuzzleSplit : IDisposable
{
    public DatasetMetadata Metadata { get; }
    public IReadOnlyList<PuzzleSet> Sets { get; }

    PuzzleSplit(DatasetMetadata metadata, IReadOnlyList<PuzzleSet> sets) => (Metadata, Sets) = (metadata, sets);

    /// <summary>
    /// Opens the split and checks it as a whole before anything uses it: each <c>dataset.json</c>'s fields, the directories'
    /// layouts against each other, every set's arrays against one another and against <c>dataset.json</c> (shapes, index
    /// ranges, tokens inside the vocabulary, identifiers), and the counts <c>dataset.json</c> declares against the arrays. A
    /// refusal lists every problem found, each naming its file or set and field.
    /// </summary>
    /// <param name="datasetDirectories">Dataset roots, each holding <paramref name="split"/>/dataset.json.</param>
    public static PuzzleSplit Open(IReadOnlyList<string> datasetDirectories, string split)
    {
        if (datasetDirectories.Count == 0) throw new TrmException("no dataset directory given.");
        var problems = new List<string>();
        string JsonOf(string dir) => Path.Combine(dir, split, "dataset.json");
        var metadatas = datasetDirectories.Select(dir => DatasetMetadata.Read(JsonOf(dir),
            $"a dataset directory holds train/ and test/, each with dataset.json and <set>__inputs.npy etc. Build one with a dataset builder (Sudoku, Maze or ARC).")).ToList();
        for (int i = 0; i < metadatas.Count; i++) problems.AddRange(metadatas[i].Problems().Select(p => $"{JsonOf(datasetDirectories[i])}: {p}"));
        if (problems.Count > 0) throw Refusal(problems);

        var first = metadatas[0];
        for (int i = 1; i < metadatas.Count; i++)
        {
            var other = metadatas[i];
            var clashes = new (string Field, object A, object B)[]
            {
                ("seq_len", first.SeqLen, other.SeqLen), ("vocab_size", first.VocabSize, other.VocabSize), ("pad_id", first.PadId, other.PadId),
                ("ignore_label_id", first.IgnoreLabelId?.ToString() ?? "null", other.IgnoreLabelId?.ToString() ?? "null"),
                ("blank_identifier_id", first.BlankIdentifierId, other.BlankIdentifierId),
                ("num_puzzle_identifiers", first.NumPuzzleIdentifiers, other.NumPuzzleIdentifiers),
                ("sets", string.Join(",", first.Sets), string.Join(",", other.Sets)),
            }.Where(c => !c.A.Equals(c.B)).ToList();
            if (clashes.Count > 0)
                throw new TrmException($"{datasetDirectories[i]} cannot be combined with {datasetDirectories[0]}: " +
                    string.Join("; ", clashes.Select(c => $"{c.Field} {c.B} vs {c.A}")) + ". Combine only datasets built with the same layout.");
        }
        long totalPuzzles = metadatas.Sum(m => (long)m.TotalPuzzles);
        var merged = first with
        {
            NumPuzzleIdentifiers = metadatas.Sum(m => m.NumPuzzleIdentifiers),
            TotalGroups = metadatas.Sum(m => m.TotalGroups),
            TotalPuzzles = (int)Math.Min(totalPuzzles, int.MaxValue),
            MeanPuzzleExamples = totalPuzzles == 0 ? 0 : metadatas.Sum(m => m.MeanPuzzleExamples * m.TotalPuzzles) / totalPuzzles,
        };

        // [directory, set]; iterated set by set, as the reference merges them.
        var opened = new PuzzleSet?[datasetDirectories.Count, first.Sets.Count];
        try
        {
            for (int i = 0; i < datasetDirectories.Count; i++)
            {
                for (int j = 0; j < first.Sets.Count; j++)
                {
                    var directory = Path.Combine(datasetDirectories[i], split);
                    try
                    {
                        var set = opened[i, j] = new PuzzleSet(directory, first.Sets[j], i == 0 ? first.Sets[j] : first.Sets[j] + i);
                        if (string.Join("; ", set.Problems(metadatas[i])) is { Length: > 0 } wrong) problems.Add($"{directory} set '{first.Sets[j]}': {wrong}");
                    }
                    catch (TrmException e)
                    {
                        problems.Add(e.Message);
                    }
                }
                var own = Enumerable.Range(0, first.Sets.Count).Select(j => opened[i, j]).OfType<PuzzleSet>().ToList();
                if (own.Count == first.Sets.Count) problems.AddRange(CountProblems(JsonOf(datasetDirectories[i]), metadatas[i], own));
            }
            if (problems.Count > 0) throw Refusal(problems);
        }
        catch
        {
            foreach (var set in opened) set?.Dispose();
            throw;
        }
        return new PuzzleSplit(merged, [.. Enumerable.Range(0, first.Sets.Count).SelectMany(j => Enumerable.Range(0, datasetDirectories.Count).Select(i => opened[i, j]!))]);
    }

    /// <summary>The counts <c>dataset.json</c> declares (they set the number of training steps) against those of its sets' arrays.</summary>
    static IEnumerable<string> CountProblems(string json, DatasetMetadata metadata, IReadOnlyList<PuzzleSet> sets)
    {
        long groups = sets.Sum(s => (long)s.GroupCount), puzzles = sets.Sum(s => (long)s.PuzzleCount), examples = sets.Sum(s => s.ExampleCount);
        if (metadata.TotalGroups != groups) yield return $"{json}: total_groups is {metadata.TotalGroups}, the sets hold {groups} groups";
        if (metadata.TotalPuzzles != puzzles) yield return $"{json}: total_puzzles is {metadata.TotalPuzzles}, the sets hold {puzzles} puzzles";
        double mean = puzzles == 0 ? 0 : (double)examples / puzzles;
        if (Math.Abs(metadata.MeanPuzzleExamples - mean) > 1e-6 * Math.Max(1, mean))
            yield return $"{json}: mean_puzzle_examples is {metadata.MeanPuzzleExamples}, the sets hold {examples} examples of {puzzles} puzzles ({mean:G6})";
    }

    /// <summary>One line listing every problem (a set's own message, which says what to do, stands alone).</summary>
    static TrmException Refusal(List<string> problems) => new(problems is [var one] && one.EndsWith('.')
        ? one
        : $"{(problems.Count == 1 ? "" : $"{problems.Count} problems with the dataset: ")}{string.Join("; ", problems.Select(p => p.TrimEnd('.')))}. " +
          "Rebuild it with a dataset builder, ours or the reference's.");

    public static PuzzleSplit Open(string datasetDirectory, string split) => Open([datasetDirectory], split);

    public void Dispose()
    {
        foreach (var set in Sets) set.Dispose();
    }
}
