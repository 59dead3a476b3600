using System.Text.Json;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Data;

/// <summary>
/// Streams one split (set <c>all</c>) of a dataset in the reference's layout: examples go straight to
/// <c>all__inputs.npy</c> / <c>all__labels.npy</c> (uint8, as the reference's builders write them);
/// the small index arrays and <c>dataset.json</c> are written by <see cref="Complete"/>.
/// Call order: examples of a puzzle, <see cref="EndPuzzle"/>; puzzles of a group, <see cref="EndGroup"/>.
/// </summary>
public sealed class SplitWriter : IDisposable
{
    const string SetName = "all";

    internal string Directory { get; }
    readonly DatasetMetadata layout;
    readonly NpyRowWriter inputs, labels;
    readonly List<int> puzzleIdentifiers = [], puzzleIndices = [0], groupIndices = [0];

    /// <param name="layout">Token layout (seq_len, vocab_size, pad/ignore/blank ids, num_puzzle_identifiers); the counts are filled in on completion.</param>
    internal SplitWriter(string directory, DatasetMetadata layout)
    {
        Directory = directory;
        this.layout = layout;
        System.IO.Directory.CreateDirectory(directory);
        inputs = new NpyRowWriter(Path.Combine(directory, $"{SetName}__inputs.npy"), layout.SeqLen);
        labels = new NpyRowWriter(Path.Combine(directory, $"{SetName}__labels.npy"), layout.SeqLen);
    }

    public long Examples => inputs.Rows;
    public int Puzzles => puzzleIdentifiers.Count;
    public int Groups => groupIndices.Count - 1;

    public void AddExample(ReadOnlySpan<byte> input, ReadOnlySpan<byte> label)
    {
        if (input.Length != layout.SeqLen || label.Length != layout.SeqLen)
            throw new ArgumentException($"example of {input.Length}/{label.Length} tokens, expected {layout.SeqLen}");
        foreach (var token in input) if (token >= layout.VocabSize) throw new ArgumentException($"input token {token} outside the vocabulary of {layout.VocabSize}");
        foreach (var token in label) if (token >= layout.VocabSize) throw new ArgumentException($"label token {token} outside the vocabulary of {layout.VocabSize}");
        inputs.Append(input);
        labels.Append(label);
    }

    public void EndPuzzle(int identifier)
    {
        if (Examples == puzzleIndices[^1]) throw new InvalidOperationException("a puzzle needs at least one example");
        if (identifier < 0) throw new ArgumentException($"puzzle identifier {identifier} is negative");
        puzzleIndices.Add(checked((int)Examples));
        puzzleIdentifiers.Add(identifier);
    }

    public void EndGroup()
    {
        if (Puzzles == groupIndices[^1]) throw new InvalidOperationException("a group needs at least one puzzle");
        groupIndices.Add(Puzzles);
    }

    /// <summary>
    /// Closes the arrays and writes the index arrays and <c>dataset.json</c> with the counts.
    /// <paramref name="numPuzzleIdentifiers"/> replaces the layout's count when identifiers were assigned while streaming (ARC).
    /// </summary>
    internal DatasetMetadata Complete(int? numPuzzleIdentifiers)
    {
        if (Examples != puzzleIndices[^1] || Puzzles != groupIndices[^1]) throw new InvalidOperationException("the last puzzle or group was not ended");
        int identifiers = numPuzzleIdentifiers ?? layout.NumPuzzleIdentifiers;
        if (puzzleIdentifiers.Count > 0 && puzzleIdentifiers.Max() >= identifiers)
            throw new InvalidOperationException($"puzzle identifier {puzzleIdentifiers.Max()} outside [0, {identifiers})");
        inputs.Complete();
        labels.Complete();
        WriteIndexArray("puzzle_identifiers", puzzleIdentifiers);
        WriteIndexArray("puzzle_indices", puzzleIndices);
        WriteIndexArray("group_indices", groupIndices);

        var metadata = layout with
        {
            NumPuzzleIdentifiers = identifiers,
            TotalGroups = Groups,
            TotalPuzzles = Puzzles,
            MeanPuzzleExamples = Puzzles == 0 ? 0 : (double)Examples / Puzzles,
            Sets = [SetName],
        };
        File.WriteAllText(Path.Combine(Directory, "dataset.json"), JsonSerializer.Serialize(metadata));
        return metadata;
    }

    void WriteIndexArray(string field, List<int> values)
    {
        using var array = tensor(values.ToArray(), ScalarType.Int32);
        using var stream = File.Create(Path.Combine(Directory, $"{SetName}__{field}.npy"));
        NpyFormat.Write(stream, array);
    }

    public void Dispose()
    {
        inputs.Dispose();
        labels.Dispose();
    }
}
