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

    /// <summary>Opens <c>&lt;set&gt;__*.npy</c> in <paramref name="splitDirectory"/> and checks every invariant the loader relies on.</summary>
    public PuzzleSet(string splitDirectory, string fileSetName, string name, DatasetMetadata metadata)
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
            Validate($"{splitDirectory} set '{fileSetName}'", metadata);
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

    void Validate(string where, DatasetMetadata metadata)
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new TrmException($"{where}: {problem}. Rebuild the dataset with a dataset builder, ours or the reference's.");
        }

        Require(Inputs.Columns == metadata.SeqLen, $"inputs must be (examples, seq_len {metadata.SeqLen} of dataset.json), are [{Inputs.Rows}, {Inputs.Columns}]");
        Require(Labels.Rows == Inputs.Rows && Labels.Columns == Inputs.Columns, $"labels [{Labels.Rows}, {Labels.Columns}] must have the shape of inputs [{Inputs.Rows}, {Inputs.Columns}]");
        Require(PuzzleIndices.Length == PuzzleCount + 1, $"puzzle_indices must hold puzzles + 1 = {PuzzleCount + 1} entries, has {PuzzleIndices.Length}");
        Require(GroupIndices.Length >= 1, "group_indices must hold at least one entry");
        Require(PuzzleIndices[0] == 0 && PuzzleIndices[^1] == ExampleCount, $"puzzle_indices must run from 0 to the example count {ExampleCount}");
        Require(PuzzleIndices.Zip(PuzzleIndices.Skip(1)).All(p => p.First < p.Second), "puzzle_indices must increase (no puzzle without examples)");
        Require(GroupIndices[0] == 0 && GroupIndices[^1] == PuzzleCount, $"group_indices must run from 0 to the puzzle count {PuzzleCount}");
        Require(GroupIndices.Zip(GroupIndices.Skip(1)).All(p => p.First < p.Second), "group_indices must increase (no empty group)");
        Require(PuzzleIdentifiers.All(id => id >= 0 && id < metadata.NumPuzzleIdentifiers), $"puzzle_identifiers must be in [0, {metadata.NumPuzzleIdentifiers})");
    }

    public void Dispose()
    {
        Inputs?.Dispose();
        Labels?.Dispose();
    }
}
