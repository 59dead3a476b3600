using System.Text.Json.Nodes;
using Trm.Data;
using static TorchSharp.torch;

namespace Trm.Tests.Data;

public class PuzzleDatasetFilesTests
{
    // Two groups: group 0 = puzzles {0, 1}, group 1 = puzzle {2}; puzzle 0 has 2 examples, the others 1.
    static PuzzleSplit Sample(int lastPuzzleIndex = 4)
    {
        var metadata = new DatasetMetadata
        {
            PadId = 0, IgnoreLabelId = 0, BlankIdentifierId = 0, VocabSize = 11, SeqLen = 3,
            NumPuzzleIdentifiers = 4, TotalGroups = 2, MeanPuzzleExamples = 4 / 3.0, TotalPuzzles = 3,
        };
        var set = new PuzzleSet(
            Inputs: tensor(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 1 }).view(4, 3),
            Labels: tensor(new byte[] { 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1 }).view(4, 3),
            PuzzleIdentifiers: tensor(new[] { 1, 2, 3 }),
            PuzzleIndices: tensor(new[] { 0, 2, 3, lastPuzzleIndex }),
            GroupIndices: tensor(new[] { 0, 2, 3 }));
        return new PuzzleSplit(metadata, new Dictionary<string, PuzzleSet> { ["all"] = set });
    }

    [Fact]
    public void ReadsBackWhatWasWritten()
    {
        using var dir = new TempDirectory();
        var split = Sample();
        PuzzleDatasetFiles.Write(dir.File("train"), split);

        Assert.Equal(
            ["all__group_indices.npy", "all__inputs.npy", "all__labels.npy", "all__puzzle_identifiers.npy", "all__puzzle_indices.npy", "dataset.json"],
            Directory.GetFiles(dir.File("train")).Select(Path.GetFileName).Order());
        var json = JsonNode.Parse(File.ReadAllText(dir.File("train/dataset.json")))!;
        Assert.Equal(11, (int)json["vocab_size"]!);
        Assert.Equal("all", (string)json["sets"]![0]!);

        var read = PuzzleDatasetFiles.Read(dir.File("train"));
        Assert.Equal(split.Metadata.SeqLen, read.Metadata.SeqLen);
        Assert.Equal(split.Metadata.MeanPuzzleExamples, read.Metadata.MeanPuzzleExamples);
        foreach (var ((field, expected), (_, actual)) in split.Sets["all"].Fields().Zip(read.Sets["all"].Fields()))
        {
            Assert.True(expected.dtype == actual.dtype, field);
            TensorAssert.Identical(expected, actual);
        }
    }

    [Fact]
    public void InconsistentIndicesAreRefusedAndNothingIsWritten()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TrmException>(() => PuzzleDatasetFiles.Write(dir.File("train"), Sample(lastPuzzleIndex: 3)));
        Assert.Contains("set 'all': puzzle_indices must run from 0 to the example count 4", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void MissingArrayFileIsNamed()
    {
        using var dir = new TempDirectory();
        PuzzleDatasetFiles.Write(dir.File("test"), Sample());
        File.Delete(dir.File("test/all__labels.npy"));
        var error = Assert.Throws<TrmException>(() => PuzzleDatasetFiles.Read(dir.File("test")));
        Assert.Contains("all__labels.npy not found (set 'all' is listed in dataset.json)", error.Message);
    }

    [Fact]
    public void MissingMetadataSaysWhatAFolderShouldHold()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TrmException>(() => PuzzleDatasetFiles.Read(dir.Path));
        Assert.Contains("dataset.json not found", error.Message);
    }

    [Fact]
    public void ExistingOutputIsNotOverwritten()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("train"));
        var error = Assert.Throws<TrmException>(() => PuzzleDatasetFiles.Write(dir.File("train"), Sample()));
        Assert.Contains("already exists", error.Message);
    }
}
