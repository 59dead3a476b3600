using System.Text.Json.Nodes;
using Trm.Data;
using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

/// <summary>Builder behaviour on small hand-made puzzle files.</summary>
public class ArcDatasetBuilderTests
{
    static ArcBuildOptions Options(string prefix, string output, int numAug = 3, uint seed = 42) =>
        new(prefix, ["a", "b"], "b", output, numAug, seed);

    static string TwoSubsets(TempDirectory dir)
    {
        ArcFiles.Write(dir, "a", ArcFiles.Puzzle("a1") + "," + ArcFiles.Puzzle("a2", input: "[[1, 2, 3], [4, 5, 6]]"), "\"a1\": [[[6]]], \"a2\": [[[7]]]");
        return ArcFiles.Write(dir, "b", ArcFiles.Puzzle("b1", input: "[[9, 8], [7, 6]]"), "\"b1\": [[[8]]]");
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytes()
    {
        using var dir = new TempDirectory();
        var prefix = TwoSubsets(dir);
        ArcDatasetBuilder.Build(Options(prefix, dir.File("x")));
        ArcDatasetBuilder.Build(Options(prefix, dir.File("y")));
        ArcDatasetBuilder.Build(Options(prefix, dir.File("z"), seed: 43));
        byte[] Bytes(string output) => File.ReadAllBytes(Path.Combine(output, "train", "all__inputs.npy"));
        Assert.Equal(Bytes(dir.File("x")), Bytes(dir.File("y")));
        Assert.NotEqual(Bytes(dir.File("x")), Bytes(dir.File("z")));
        Assert.Equal(File.ReadAllText(dir.File("x/identifiers.json")), File.ReadAllText(dir.File("y/identifiers.json")));
    }

    [Fact]
    public void TestSetPairsGoToTestAndTheRestToTrain()
    {
        using var dir = new TempDirectory();
        var result = ArcDatasetBuilder.Build(Options(TwoSubsets(dir), dir.File("out"), numAug: 1));
        Assert.Equal(3, result.Puzzles);
        Assert.Equal(1, result.TestPairs);
        using var train = PuzzleSplit.Open(dir.File("out"), "train");
        using var test = PuzzleSplit.Open(dir.File("out"), "test");
        // a1, a2: 1 demonstration + 1 test pair each; b1: its demonstration only. Each puzzle x2 (original + 1 augmentation).
        Assert.Equal([0, 2, 4, 6, 8, 9, 10], train.Sets[0].PuzzleIndices);
        Assert.Equal([0, 2, 4, 6], train.Sets[0].GroupIndices);
        Assert.Equal([0, 1, 2], test.Sets[0].PuzzleIndices);
        Assert.Equal(train.Sets[0].PuzzleIdentifiers[^2..], test.Sets[0].PuzzleIdentifiers);
    }

    [Fact]
    public void MissingSolutionsGiveDummyOutputsAndAWarning()
    {
        using var dir = new TempDirectory();
        ArcFiles.Write(dir, "a", ArcFiles.Puzzle("a1"), "\"a1\": [[[6]]]");
        var prefix = ArcFiles.Write(dir, "b", ArcFiles.Puzzle("b1"), solutions: null);
        var result = ArcDatasetBuilder.Build(Options(prefix, dir.File("out"), numAug: 0));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"{dir.File("arc_b_solutions.json")} not found: the test pairs of 'b' get a dummy [[0]] output.", warning);
        var json = JsonNode.Parse(File.ReadAllText(dir.File("out/test_puzzles.json")))!;
        Assert.Equal("[[0]]", json["b1"]!["test"]![0]!["output"]!.ToJsonString());
        using var test = PuzzleSplit.Open(dir.File("out"), "test");
        var label = new int[ArcCanvas.Length];
        test.Sets[0].Labels.CopyRow(0, label);
        GridAssert.Equal(new byte[1, 1], ArcCanvas.Decode<int>(label));
    }

    [Fact]
    public void AGroupWithFewerDistinctVariantsIsShortAndWarned()
    {
        using var dir = new TempDirectory();
        // One colour besides 0 on 1x1 grids: only 9 distinct recolourings exist, the original included.
        ArcFiles.Write(dir, "a", ArcFiles.Puzzle("a1", input: "[[1]]", test: "[[0]]").Replace("[[2, 3], [4, 5]]", "[[0]]"), "\"a1\": [[[1]]]");
        var prefix = ArcFiles.Write(dir, "b", ArcFiles.Puzzle("b1"), "\"b1\": [[[8]]]");
        var result = ArcDatasetBuilder.Build(Options(prefix, dir.File("out"), numAug: 20));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("puzzle a1 (a): only 8 distinct augmentations of 20 found in 100 tries; its group has 9 puzzles.", warning);
        using var train = PuzzleSplit.Open(dir.File("out"), "train");
        Assert.Equal([0, 9, 30], train.Sets[0].GroupIndices);
    }

    [Fact]
    public void ATestSetOutsideTheSubsetsIsRefused()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TrmException>(() => ArcDatasetBuilder.Build(Options(TwoSubsets(dir), dir.File("out")) with { TestSet = "evaluation" }));
        Assert.Contains("the test set 'evaluation' is not one of the subsets (a, b)", error.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void BadInputLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        TwoSubsets(dir);
        File.WriteAllText(dir.File("arc_b_solutions.json"), "{\"b1\": [[[10]]]}");
        var error = Assert.Throws<TrmException>(() => ArcDatasetBuilder.Build(Options(dir.File("arc"), dir.File("out"))));
        Assert.Contains("arc_b_solutions.json: puzzle b1, solution[0]: cell (0, 0) is 10", error.Message);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains("out"));
    }
}
