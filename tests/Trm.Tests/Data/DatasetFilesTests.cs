using System.Text.Json.Nodes;
using Trm.Data;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Tests.Data;

public class DatasetFilesTests
{
    static readonly DatasetMetadata Layout = new()
    {
        PadId = 0, IgnoreLabelId = 0, BlankIdentifierId = 0, VocabSize = 11, SeqLen = 3, NumPuzzleIdentifiers = 4,
    };

    // Two groups: group 0 = puzzles {0, 1}, group 1 = puzzle {2}; puzzle 0 has 2 examples, the others 1.
    static readonly byte[][] Inputs = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 1, 1]];
    static readonly byte[][] Labels = [[2, 2, 3], [4, 5, 6], [7, 8, 9], [10, 0, 1]];

    static DatasetSummary WriteSample(string directory, bool withTest = true)
    {
        using var writer = new DatasetWriter(directory);
        var train = writer.BeginSplit("train", Layout);
        train.AddExample(Inputs[0], Labels[0]);
        train.AddExample(Inputs[1], Labels[1]);
        train.EndPuzzle(1);
        train.AddExample(Inputs[2], Labels[2]);
        train.EndPuzzle(2);
        train.EndGroup();
        train.AddExample(Inputs[3], Labels[3]);
        train.EndPuzzle(3);
        train.EndGroup();
        if (withTest)
        {
            var test = writer.BeginSplit("test", Layout);
            test.AddExample(Inputs[3], Labels[3]);
            test.EndPuzzle(0);
            test.EndGroup();
        }
        writer.WriteJson("identifiers.json", new[] { "<blank>", "a", "b", "c" });
        return writer.Commit();
    }

    [Fact]
    public void ReadsBackWhatWasWritten()
    {
        using var dir = new TempDirectory();
        var summary = WriteSample(dir.File("data"));
        Assert.Equal(2, summary.Splits["train"].TotalGroups);
        Assert.Equal(3, summary.Splits["train"].TotalPuzzles);
        Assert.Equal(4 / 3.0, summary.Splits["train"].MeanPuzzleExamples, 12);

        Assert.Equal(
            ["all__group_indices.npy", "all__inputs.npy", "all__labels.npy", "all__puzzle_identifiers.npy", "all__puzzle_indices.npy", "dataset.json"],
            Directory.GetFiles(dir.File("data/train")).Select(Path.GetFileName).Order());
        var json = JsonNode.Parse(File.ReadAllText(dir.File("data/train/dataset.json")))!;
        Assert.Equal(11, (int)json["vocab_size"]!);
        Assert.Equal(2, (int)json["total_groups"]!);
        Assert.Equal("all", (string)json["sets"]![0]!);
        Assert.Equal("c", (string)JsonNode.Parse(File.ReadAllText(dir.File("data/identifiers.json")))![3]!);

        using var split = PuzzleSplit.Open(dir.File("data"), "train");
        var set = Assert.Single(split.Sets);
        Assert.Equal(ScalarType.Byte, set.Inputs.Dtype);
        Assert.Equal([1, 2, 3], set.PuzzleIdentifiers);
        Assert.Equal([0, 2, 3, 4], set.PuzzleIndices);
        Assert.Equal([0, 2, 3], set.GroupIndices);
        var row = new int[3];
        for (int i = 0; i < 4; i++)
        {
            set.Inputs.CopyRow(i, row);
            Assert.Equal(Inputs[i].Select(b => (int)b), row);
            set.Labels.CopyRow(i, row);
            Assert.Equal(Labels[i].Select(b => (int)b), row);
        }
    }

    [Fact]
    public void StreamedArraysAreValidNumpyFiles()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        using var stream = File.OpenRead(dir.File("data/train/all__labels.npy"));
        using var labels = NpyFormat.Read(stream, "labels");
        Assert.Equal([4L, 3L], labels.shape);
        Assert.Equal(Labels.SelectMany(r => r), labels.data<byte>().ToArray());
    }

    [Fact]
    public void AFailedBuildLeavesNothing()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() =>
        {
            using var writer = new DatasetWriter(dir.File("data"));
            var train = writer.BeginSplit("train", Layout);
            train.AddExample([1, 2, 3], [1, 2, 11]);
        });
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void InconsistentIndicesAreRefused()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        using (var stream = File.Create(dir.File("data/train/all__puzzle_indices.npy")))
            NpyFormat.Write(stream, tensor(new[] { 0, 2, 3, 3 }));
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.File("data"), "train"));
        Assert.Contains("set 'all': puzzle_indices must run from 0 to the example count 4", error.Message);
    }

    [Fact]
    public void ASeqLenTheArraysDoNotHaveIsNamedAsDatasetJsons()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        var path = dir.File("data/train/dataset.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["seq_len"] = 1000;   // within its declared limit, but not the arrays' length
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.File("data"), "train"));
        Assert.Contains("set 'all': inputs must be (examples, seq_len 1000 of dataset.json), are [4, 3]", error.Message);
    }

    [Fact]
    public void AMetadataFileLargerThanTheLimitIsRefusedUnread()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        var path = dir.File("data/train/dataset.json");
        using (var file = File.OpenWrite(path)) file.SetLength(JsonFile.MaxFileBytes + 1);   // sparse: no disk taken
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.File("data"), "train"));
        Assert.Equal($"{path}: {JsonFile.MaxFileBytes + 1} bytes, more than the limit of {JsonFile.MaxFileBytes} for dataset metadata; the file is damaged or not dataset metadata.", error.Message);
    }

    [Fact]
    public void TruncatedTokenArrayIsNamed()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        var path = dir.File("data/train/all__inputs.npy");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^2]);
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.File("data"), "train"));
        Assert.Contains("all__inputs.npy: the array data is truncated", error.Message);
    }

    [Fact]
    public void MissingArrayFileIsNamed()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("data"));
        File.Delete(dir.File("data/test/all__labels.npy"));
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.File("data"), "test"));
        Assert.Contains("all__labels.npy not found (set 'all' is listed in dataset.json)", error.Message);
    }

    [Fact]
    public void MissingMetadataSaysWhatAFolderShouldHold()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(dir.Path, "train"));
        Assert.Contains("dataset.json not found", error.Message);
    }

    [Fact]
    public void ExistingOutputIsNotOverwritten()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("data"));
        var error = Assert.Throws<TrmException>(() => WriteSample(dir.File("data")));
        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public void CombinedDirectoriesAddUpAndNameTheirSets()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("a"));
        WriteSample(dir.File("b"));
        using var split = PuzzleSplit.Open([dir.File("a"), dir.File("b")], "train");
        Assert.Equal(["all", "all1"], split.Sets.Select(s => s.Name));
        Assert.Equal(4, split.Metadata.TotalGroups);
        Assert.Equal(6, split.Metadata.TotalPuzzles);
        Assert.Equal(4 / 3.0, split.Metadata.MeanPuzzleExamples, 12);
    }

    [Fact]
    public void DirectoriesWithDifferentLayoutsAreNotCombined()
    {
        using var dir = new TempDirectory();
        WriteSample(dir.File("a"));
        WriteSample(dir.File("b"));
        var path = dir.File("b/train/dataset.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"vocab_size\":11", "\"vocab_size\":12"));
        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open([dir.File("a"), dir.File("b")], "train"));
        Assert.Contains("vocab_size 12 vs 11", error.Message);
    }
}
