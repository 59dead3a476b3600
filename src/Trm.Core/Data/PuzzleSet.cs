using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Data;

/// <summary>
/// One named set of a split: <c>inputs</c> and <c>labels</c> (examples, seq_len) memory-mapped; in
/// memory, <c>puzzle_identifiers</c> (one per puzzle), <c>puzzle_indices</c> (puzzles + 1; puzzle p owns
/// examples [idx[p], idx[p+1])) and <c>group_indices</c> (groups + 1; group g owns puzzles [gidx[g], gidx[g+1])).
/// </summary>
public sealed class PuzzleSet : IDisposable
{
    public string Name { get; }
    public TokenMatrix Inputs { get; }
    public TokenMatrix Labels { get; }
    public int[] PuzzleIdentifiers { get; }
    public int[] PuzzleIndices { get; }
    public int[] GroupIndices { get; }

    public long ExampleCount => Inputs.Rows;
    public int PuzzleCount => PuzzleIdentifiers.Length;
    public int GroupCount => GroupIndices.Length - 1;

    /// <summary>
    /// Opens <c>&lt;set&gt;__*.npy</c> in <paramref name="splitDirectory"/>: each file readable as the array it should be. How they
    /// agree is <see cref="Problems"/>, which <see cref="PuzzleSplit.Open(IReadOnlyList{string}, string)"/> asks before anything uses them.
    /// </summary>
    internal PuzzleSet(string splitDirectory, string fileSetName, string name)
    {
        Name = name;
        string FileOf(string field)
        {
            var path = System.IO.Path.Combine(splitDirectory, $"{fileSetName}__{field}.npy");
            if (!File.Exists(path)) throw new TrmException($"{path} not found (set '{fileSetName}' is listed in dataset.json). Rebuild the dataset.");
            return path;
        }
        PuzzleIdentifiers = ReadIndexArray(FileOf("puzzle_identifiers"));
        PuzzleIndices = ReadIndexArray(FileOf("puzzle_indices"));
        GroupIndices = ReadIndexArray(FileOf("group_indices"));
        Inputs = new TokenMatrix(FileOf("inputs"));
        try
        {
            Labels = new TokenMatrix(FileOf("labels"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    static int[] ReadIndexArray(string path)
    {
        using var stream = UserFile.OpenRead(path, "a .npy array");
        using var array = NpyFormat.Read(stream, path);
        if (array.dim() != 1) throw new TrmException($"{path}: index arrays must be 1-D, this one has shape [{string.Join(", ", array.shape)}]. Rebuild the dataset.");
        using var ints = array.to(ScalarType.Int32);
        return ints.data<int>().ToArray();
    }

    /// <summary>Every disagreement of the arrays with one another and with <paramref name="metadata"/> (whose own fields are valid), each a phrase naming the array.</summary>
    internal IEnumerable<string> Problems(DatasetMetadata metadata)
    {
        if (Inputs.Columns != metadata.SeqLen) yield return $"inputs must be (examples, seq_len {metadata.SeqLen} of dataset.json), are [{Inputs.Rows}, {Inputs.Columns}]";
        if (Labels.Rows != Inputs.Rows || Labels.Columns != Inputs.Columns) yield return $"labels [{Labels.Rows}, {Labels.Columns}] must have the shape of inputs [{Inputs.Rows}, {Inputs.Columns}]";
        if (ExampleCount == 0) yield return "the set holds no examples";
        if (PuzzleIndices.Length != PuzzleCount + 1) yield return $"puzzle_indices must hold puzzles + 1 = {PuzzleCount + 1} entries, has {PuzzleIndices.Length}";
        else if (PuzzleIndices[0] != 0 || PuzzleIndices[^1] != ExampleCount) yield return $"puzzle_indices must run from 0 to the example count {ExampleCount}";
        else if (!PuzzleIndices.Zip(PuzzleIndices.Skip(1)).All(p => p.First < p.Second)) yield return "puzzle_indices must increase (no puzzle without examples)";
        if (GroupIndices.Length < 1) yield return "group_indices must hold at least one entry";
        else if (GroupIndices[0] != 0 || GroupIndices[^1] != PuzzleCount) yield return $"group_indices must run from 0 to the puzzle count {PuzzleCount}";
        else if (!GroupIndices.Zip(GroupIndices.Skip(1)).All(p => p.First < p.Second)) yield return "group_indices must increase (no empty group)";
        if (PuzzleIdentifiers.Any(id => id < 0 || id >= metadata.NumPuzzleIdentifiers))
            yield return $"puzzle_identifiers must be in [0, num_puzzle_identifiers {metadata.NumPuzzleIdentifiers}), hold {PuzzleIdentifiers.Min()} to {PuzzleIdentifiers.Max()}";
        foreach (var (field, matrix) in new[] { ("inputs", Inputs), ("labels", Labels) })
            if (matrix.Rows > 0 && matrix.Range() is var (low, high) && (low < 0 || high >= metadata.VocabSize))
                yield return $"{field} hold tokens {low} to {high}, outside the vocabulary [0, vocab_size {metadata.VocabSize})";
    }

    public void Dispose()
    {
        Inputs?.Dispose();
        Labels?.Dispose();
    }
}
