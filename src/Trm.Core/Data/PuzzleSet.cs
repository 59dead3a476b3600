using static TorchSharp.torch;

namespace Trm.Data;

/// <summary>
/// One named set of a split, as five arrays: <c>inputs</c> and <c>labels</c> (examples, seq_len) of
/// token ids (any integer dtype); <c>puzzle_identifiers</c> (puzzles) int32; <c>puzzle_indices</c>
/// (puzzles + 1) int32, puzzle p owns examples [idx[p], idx[p+1]); <c>group_indices</c> (groups + 1)
/// int32, group g owns puzzles [gidx[g], gidx[g+1]).
/// </summary>
public sealed record PuzzleSet(Tensor Inputs, Tensor Labels, Tensor PuzzleIdentifiers, Tensor PuzzleIndices, Tensor GroupIndices)
{
    public static readonly string[] FieldNames = ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"];

    public long ExampleCount => Inputs.shape[0];
    public long PuzzleCount => PuzzleIdentifiers.shape[0];
    public long GroupCount => GroupIndices.shape[0] - 1;

    public IEnumerable<(string Field, Tensor Array)> Fields() =>
        FieldNames.Zip([Inputs, Labels, PuzzleIdentifiers, PuzzleIndices, GroupIndices]);

    /// <summary>Every invariant the loader relies on; the message names the set, the field and the fix.</summary>
    public void Validate(string where, DatasetMetadata metadata)
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new TrmException($"{where}: {problem}. Rebuild the dataset with `trm data ...` or the reference's builder.");
        }

        Require(Inputs.dim() == 2 && Inputs.shape[1] == metadata.SeqLen, $"inputs must be (examples, {metadata.SeqLen}), is [{string.Join(", ", Inputs.shape)}]");
        Require(Labels.shape.SequenceEqual(Inputs.shape), $"labels [{string.Join(", ", Labels.shape)}] must have the shape of inputs [{string.Join(", ", Inputs.shape)}]");
        Require(PuzzleIndices.dim() == 1 && PuzzleIndices.shape[0] == PuzzleCount + 1, $"puzzle_indices must hold puzzles + 1 = {PuzzleCount + 1} entries, has {PuzzleIndices.shape[0]}");
        Require(GroupIndices.dim() == 1 && GroupIndices.shape[0] >= 1, "group_indices must hold at least one entry");

        var puzzleIdx = PuzzleIndices.to(ScalarType.Int64);
        var groupIdx = GroupIndices.to(ScalarType.Int64);
        Require(puzzleIdx[0].item<long>() == 0 && puzzleIdx[-1].item<long>() == ExampleCount, $"puzzle_indices must run from 0 to the example count {ExampleCount}");
        Require(PuzzleCount == 0 || (puzzleIdx[1..] >= puzzleIdx[..^1]).all().item<bool>(), "puzzle_indices must not decrease");
        Require(groupIdx[0].item<long>() == 0 && groupIdx[-1].item<long>() == PuzzleCount, $"group_indices must run from 0 to the puzzle count {PuzzleCount}");
        Require(GroupCount == 0 || (groupIdx[1..] > groupIdx[..^1]).all().item<bool>(), "group_indices must increase (no empty group)");

        if (ExampleCount > 0)
        {
            Require(Inputs.min().to(ScalarType.Int64).item<long>() >= 0 && Inputs.max().to(ScalarType.Int64).item<long>() < metadata.VocabSize, $"inputs must be token ids in [0, {metadata.VocabSize})");
        }
        if (PuzzleCount > 0)
        {
            var ids = PuzzleIdentifiers.to(ScalarType.Int64);
            Require(ids.min().item<long>() >= 0 && ids.max().item<long>() < metadata.NumPuzzleIdentifiers, $"puzzle_identifiers must be in [0, {metadata.NumPuzzleIdentifiers})");
        }
    }
}
