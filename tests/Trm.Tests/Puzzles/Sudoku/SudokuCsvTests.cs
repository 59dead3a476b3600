using Trm.Puzzles.Sudoku;
using static Trm.Tests.Puzzles.Sudoku.SudokuTestGrids;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuCsvTests
{
    const string FourQuestion = "1.3..4.2.1..4...";
    const string FourAnswer = "1234341221434321";

    [Fact]
    public void WritesAndReadsTheSudokuExtremeLayout()
    {
        using var dir = new TempDirectory();
        var puzzles = new[]
        {
            new SudokuPuzzle("wiki", Parse(Easy), Parse(EasySolution), 0),
            new SudokuPuzzle("inkala", Parse(Hard), Parse(HardSolution), 42),
        };
        var path = dir.File("train.csv");
        SudokuCsv.Write(path, puzzles);
        Assert.Equal($"source,question,answer,rating\nwiki,{Easy},{EasySolution},0\ninkala,{Hard},{HardSolution},42\n", File.ReadAllText(path));
        Assert.Equal(puzzles, SudokuCsv.Read(path).ToList());
        Assert.Equal(["train.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));  // no temporary left
    }

    [Fact]
    public void ZeroIsABlankToo()
    {
        using var dir = new TempDirectory();
        var path = dir.File("test.csv");
        File.WriteAllText(path, $"source,question,answer,rating\nx,{FourQuestion.Replace('.', '0')},{FourAnswer},3\n");
        var puzzle = Assert.Single(SudokuCsv.Read(path));
        Assert.Equal(SudokuGeometry.Four, puzzle.Geometry);
        Assert.Equal(FourQuestion, puzzle.Question.ToString());
        Assert.Equal(3, puzzle.Rating);
    }

    [Theory]
    [InlineData("x,1.3..4.2.1..4...,1234341221434321", "test.csv:3: expected 4 fields (source,question,answer,rating), found 3.")]
    [InlineData("x,1.3..4.2.1..4..,1234341221434321,0", "test.csv:3: the question has 15 characters, expected 16 (4x4, as the first row).")]
    [InlineData("x,1.3..4.2.1..4...,1234341221434321.,0", "test.csv:3: the answer has 17 characters, expected 16 (4x4, as the first row).")]
    [InlineData("x,1.3..4.2.1..4.5.,1234341221434321,0", "test.csv:3: the question has '5' at position 15; allowed are '.', '0' (blank) and 1-4.")]
    [InlineData("x,1.3..4.2.1..4...,1234341221.34321,0", "test.csv:3: the answer has '.' at position 11; allowed are 1-4.")]
    [InlineData("x,1.3..4.2.1..4...,1234341221434321,hard", "test.csv:3: the rating 'hard' is not an integer.")]
    public void BadLinesNameFileLineAndReason(string badLine, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("test.csv");
        File.WriteAllText(path, $"source,question,answer,rating\nok,{FourQuestion},{FourAnswer},0\n{badLine}\n");
        var error = Assert.Throws<TrmException>(() => SudokuCsv.Read(path).ToList());
        Assert.EndsWith(expected, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void AnUnknownSizeIsNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("train.csv");
        File.WriteAllText(path, "source,question,answer,rating\nx,123,123,0\n");
        var error = Assert.Throws<TrmException>(() => SudokuCsv.Read(path).ToList());
        Assert.Equal($"{path}:2: the question has 3 characters; a 4x4, 6x6 or 9x9 grid has 16, 36 or 81.", error.Message);
    }

    [Fact]
    public void AWrongHeaderIsNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("train.csv");
        File.WriteAllText(path, $"question,answer\n{FourQuestion},{FourAnswer}\n");
        var error = Assert.Throws<TrmException>(() => SudokuCsv.Read(path).ToList());
        Assert.Equal($"{path}:1: the header is 'question,answer', expected 'source,question,answer,rating' (the Sudoku-Extreme layout).", error.Message);
    }

    [Fact]
    public void WriteDirectoryRefusesAnExistingDirectory()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("out"));
        var splits = new SudokuSplits([new SudokuPuzzle("x", Parse(FourQuestion), Parse(FourAnswer), 0)], []);
        var error = Assert.Throws<TrmException>(() => SudokuCsv.WriteDirectory(dir.File("out"), splits));
        Assert.Contains("already exists", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));

        SudokuCsv.WriteDirectory(dir.File("new"), splits);
        Assert.Equal(["test.csv", "train.csv"], Directory.GetFiles(dir.File("new")).Select(Path.GetFileName).Order());
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);  // out and new, no temporary
    }
}
