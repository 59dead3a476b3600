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

    /// <param name="datasetDirectories">Dataset roots, each holding <paramref name="split"/>/dataset.json.</param>
    public static PuzzleSplit Open(IReadOnlyList<string> datasetDirectories, string split)
    {
        if (datasetDirectories.Count == 0) throw new TrmException("no dataset directory given.");
        var metadatas = datasetDirectories.Select(dir => DatasetMetadata.Read(Path.Combine(dir, split, "dataset.json"),
            $"a dataset directory holds train/ and test/, each with dataset.json and <set>__inputs.npy etc. Build one with a dataset builder (Sudoku, Maze or ARC).")).ToList();
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
        int totalPuzzles = metadatas.Sum(m => m.TotalPuzzles);
        var merged = first with
        {
            NumPuzzleIdentifiers = metadatas.Sum(m => m.NumPuzzleIdentifiers),
            TotalGroups = metadatas.Sum(m => m.TotalGroups),
            TotalPuzzles = totalPuzzles,
            MeanPuzzleExamples = totalPuzzles == 0 ? 0 : metadatas.Sum(m => m.MeanPuzzleExamples * m.TotalPuzzles) / totalPuzzles,
        };

        var sets = new List<PuzzleSet>();
        try
        {
            foreach (var setName in first.Sets)
                for (int i = 0; i < datasetDirectories.Count; i++)
                    sets.Add(new PuzzleSet(Path.Combine(datasetDirectories[i], split), setName, i == 0 ? setName : setName + i, metadatas[i]));
        }
        catch
        {
            foreach (var set in sets) set.Dispose();
            throw;
        }
        return new PuzzleSplit(merged, sets);
    }

    public static PuzzleSplit Open(string datasetDirectory, string split) => Open([datasetDirectory], split);

    public void Dispose()
    {
        foreach (var set in Sets) set.Dispose();
    }
}
