using Trm.Puzzles.Sudoku;
using static Trm.Tests.Puzzles.Sudoku.SudokuTestGrids;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuSolverTests
{
    [Theory]
    [InlineData(Easy, EasySolution)]
    [InlineData(Hard, HardSolution)]
    public void SolvesKnownPuzzles(string puzzle, string solution)
    {
        var result = SudokuSolver.Solve(Parse(puzzle));
        Assert.Equal(solution, result.Solution?.ToString());
        Assert.True(SudokuSolver.HasUniqueSolution(Parse(puzzle)));
    }

    [Fact]
    public void RatingCountsBacktracks()
    {
        Assert.Equal(0, SudokuSolver.Rate(Parse(Easy)));   // singles alone
        int hard = SudokuSolver.Rate(Parse(Hard));
        Assert.True(hard > 0, $"the hard puzzle rated {hard}");
        Assert.Equal(hard, SudokuSolver.Rate(Parse(Hard)));  // a property of the puzzle, not of a run
    }

    [Fact]
    public void CountsEveryFourByFourGrid()
    {
        // There are exactly 288 complete 4x4 Sudoku grids.
        Assert.Equal(288, SudokuSolver.CountSolutions(SudokuGrid.Empty(SudokuGeometry.Four), 1000));
        Assert.Equal(10, SudokuSolver.CountSolutions(SudokuGrid.Empty(SudokuGeometry.Nine), 10));
    }

    [Fact]
    public void RemovingAClueFromAMinimalPuzzleBreaksUniqueness()
    {
        var puzzle = SudokuGenerator.MinimalPuzzle(SudokuGeometry.Nine, new Random(3));
        var cells = puzzle.Question.Cells.ToArray();
        int clue = Array.FindIndex(cells, v => v != 0);
        cells[clue] = 0;
        Assert.Equal(2, SudokuSolver.CountSolutions(new SudokuGrid(SudokuGeometry.Nine, cells), 2));
    }

    [Fact]
    public void ClashingCluesHaveNoSolution()
    {
        var cells = new byte[16];
        (cells[0], cells[3]) = (1, 1);  // two 1s in row 0
        var grid = new SudokuGrid(SudokuGeometry.Four, cells);
        Assert.Equal(0, SudokuSolver.CountSolutions(grid, 2));
        Assert.Null(SudokuSolver.Solve(grid).Solution);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(9)]
    public void RandomSolutionsAreValidAndVary(int size)
    {
        var geometry = SudokuGeometry.ForSize(size)!;
        var random = new Random(1);
        var grids = Enumerable.Range(0, 20).Select(_ => SudokuSolver.RandomSolution(geometry, random)).ToList();
        Assert.All(grids, g => Assert.True(SudokuValidator.IsSolution(g), SudokuValidator.Problem(g)));
        Assert.True(grids.Distinct().Count() > 10);
    }
}
