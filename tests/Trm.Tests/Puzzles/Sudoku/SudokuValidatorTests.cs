using Trm.Puzzles.Sudoku;
using static Trm.Tests.Puzzles.Sudoku.SudokuTestGrids;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuValidatorTests
{
    [Fact]
    public void AcceptsASolutionThatKeepsTheClues()
    {
        Assert.True(SudokuValidator.IsSolution(Parse(EasySolution)));
        Assert.True(SudokuValidator.Solves(Parse(Easy), Parse(EasySolution)));
    }

    [Fact]
    public void RejectsARepeatedDigit()
    {
        // Swapping two cells of row 0 keeps the row valid but breaks two columns.
        var swapped = "354678912" + EasySolution[9..];
        Assert.False(SudokuValidator.IsSolution(Parse(swapped)));
        Assert.Equal("column 1 repeats digit 3", SudokuValidator.Problem(Parse(swapped)));
    }

    [Fact]
    public void RejectsABlank()
    {
        var blank = "." + EasySolution[1..];
        Assert.Equal("cell (row 1, column 1) is blank", SudokuValidator.Problem(Parse(blank)));
    }

    [Fact]
    public void RejectsAnAnswerThatChangesAClue()
    {
        // A valid grid (digits 1 and 2 swapped everywhere) that contradicts the clues.
        var relabelled = new string(EasySolution.Select(c => c switch { '1' => '2', '2' => '1', _ => c }).ToArray());
        Assert.True(SudokuValidator.IsSolution(Parse(relabelled)));
        Assert.False(SudokuValidator.IsConsistent(Parse(Easy), Parse(relabelled)));
        Assert.Equal("cell (row 2, column 4) has clue 1 but answer 2", SudokuValidator.ConsistencyProblem(Parse(Easy), Parse(relabelled)));
    }
}
