using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

/// <summary>Bad puzzle files: every error names the file, the puzzle and what is wrong.</summary>
public class ArcPuzzleReaderTests
{
    static TrmException ReadError(TempDirectory dir, string puzzles, string? solutions = "\"p1\": [[[7]]]")
    {
        var prefix = ArcFiles.Write(dir, "set", puzzles, solutions);
        return Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadSubset(prefix, "set"));
    }

    [Fact]
    public void ReadsPuzzlesInFileOrderWithSolutionsMerged()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "set", ArcFiles.Puzzle("p1", test: "[[5, 6]]") + "," + ArcFiles.Puzzle("p0"), "\"p0\": [[[1]]], \"p1\": [[[7], [8]]]");
        var subset = ArcPuzzleReader.ReadSubset(prefix, "set");
        Assert.True(subset.HasSolutions);
        Assert.Equal(["p1", "p0"], subset.Puzzles.Select(p => p.Id));
        GridAssert.Equal(GridAssert.Of([5, 6]), subset.Puzzles[0].Test[0].Input);
        GridAssert.Equal(GridAssert.Of([7], [8]), subset.Puzzles[0].Test[0].Output);
        GridAssert.Equal(GridAssert.Of([2, 3], [4, 5]), subset.Puzzles[0].Train[0].Output);
        Assert.False(subset.Puzzles[0].TestListedFirst);
    }

    [Fact]
    public void RemembersWhetherTestIsListedFirst()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "set", "\"p1\": {\"test\": [{\"input\": [[5]]}], \"train\": [{\"input\": [[1]], \"output\": [[2]]}]}", "\"p1\": [[[7]]]");
        var puzzle = Assert.Single(ArcPuzzleReader.ReadSubset(prefix, "set").Puzzles);
        Assert.True(puzzle.TestListedFirst);
        Assert.Equal([5, 1], puzzle.AllPairs.Select(p => p.Input[0, 0]));
    }

    [Fact]
    public void MissingSolutionsGiveDummyOutputs()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "set", ArcFiles.Puzzle("p1"), solutions: null);
        var subset = ArcPuzzleReader.ReadSubset(prefix, "set");
        Assert.False(subset.HasSolutions);
        GridAssert.Equal(new byte[1, 1], subset.Puzzles[0].Test[0].Output);
    }

    [Fact]
    public void ColourOutsideZeroToNine()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1", input: "[[1, 10]]"));
        Assert.Contains($"{dir.File("arc_set_challenges.json")}: puzzle p1, train[0].input: cell (0, 1) is 10; colours are integers 0..9.", error.Message);
    }

    [Fact]
    public void GridOverThirtyByThirty()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1", test: ArcFiles.Big(31, 31)));
        Assert.Contains("arc_set_challenges.json: puzzle p1, test[0].input: the grid is 31x31; ARC grids are at most 30x30.", error.Message);
    }

    [Fact]
    public void MorePairsThanAnyTaskHas()
    {
        // 100,000 one-cell test inputs once took 900 MB to reach a picture-size error that named no file.
        using var dir = new TempDirectory();
        var tests = string.Join(", ", Enumerable.Repeat("""{"input": [[0]]}""", ArcPuzzleReader.MaxPairs + 1));
        var path = dir.File("many.json");
        File.WriteAllText(path, $$"""{"train": [{"input": [[0]], "output": [[0]]}], "test": [{{tests}}]}""");
        var error = Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadTask(path));
        Assert.Equal($"{path}: task many: \"test\" holds 257 pairs, more than the limit of 256; ARC tasks have a few.", error.Message);
    }

    [Fact]
    public void AFileLargerThanTheLimitIsRefusedUnread()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge.json");
        using (var file = File.OpenWrite(path)) file.SetLength(ArcPuzzleReader.MaxFileBytes + 1);   // sparse: no disk taken
        var error = Assert.Throws<TrmException>(() => ArcPuzzleReader.ReadTask(path));
        Assert.StartsWith($"{path}: {ArcPuzzleReader.MaxFileBytes + 1} bytes, more than the limit of {ArcPuzzleReader.MaxFileBytes}", error.Message);
    }

    [Fact]
    public void RaggedRows()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1", input: "[[1, 2], [3]]"));
        Assert.Contains("arc_set_challenges.json: puzzle p1, train[0].input: row 1 has 1 cells where row 0 has 2 (ragged rows).", error.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[[]]")]
    public void EmptyGrid(string grid)
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1", input: grid));
        Assert.Contains("arc_set_challenges.json: puzzle p1, train[0].input: ", error.Message);
    }

    [Fact]
    public void BadJson()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1") + ",");
        Assert.Contains($"{dir.File("arc_set_challenges.json")}: not valid JSON", error.Message);
    }

    [Fact]
    public void MissingChallengesFile()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<TrmSettingsException>(() => ArcPuzzleReader.ReadSubset(dir.File("arc"), "training"));
        Assert.Contains($"{dir.File("arc_training_challenges.json")} not found: subset 'training' needs it", error.Message);
    }

    [Fact]
    public void SolutionCountNotMatchingTheTestInputs()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1"), "\"p1\": [[[7]], [[8]]]");
        Assert.Contains($"{dir.File("arc_set_solutions.json")}: puzzle p1: 2 solutions for 1 test inputs", error.Message);
    }

    [Fact]
    public void PuzzleMissingFromSolutions()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1") + "," + ArcFiles.Puzzle("p2"));
        Assert.Contains("arc_set_solutions.json: puzzle p2 is missing", error.Message);
    }

    [Fact]
    public void BadSolutionGrid()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, ArcFiles.Puzzle("p1"), "\"p1\": [[[7, -1]]]");
        Assert.Contains("arc_set_solutions.json: puzzle p1, solution[0]: cell (0, 1) is -1", error.Message);
    }

    [Fact]
    public void TrainPairWithoutOutput()
    {
        using var dir = new TempDirectory();
        var error = ReadError(dir, "\"p1\": {\"train\": [{\"input\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        Assert.Contains("puzzle p1, train[0]: the pair has no \"output\" grid.", error.Message);
    }
}
