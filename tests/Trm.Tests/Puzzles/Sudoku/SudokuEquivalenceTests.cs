using Trm.Puzzles.Sudoku;
using static Trm.Tests.Puzzles.Sudoku.SudokuTestGrids;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuEquivalenceTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void EveryTransformKeepsTheCanonicalForm(int size)
    {
        var geometry = SudokuGeometry.ForSize(size)!;
        var random = new Random(size);
        var puzzle = SudokuGenerator.MinimalPuzzle(geometry, random);
        var canonical = SudokuEquivalence.Canonical(puzzle.Question);
        for (int i = 0; i < 50; i++)
        {
            var transformed = SudokuTransform.Random(geometry, random).Apply(puzzle.Question);
            Assert.Equal(canonical, SudokuEquivalence.Canonical(transformed));
        }
        Assert.True(SudokuEquivalence.Canonical(canonical).Equals(canonical));  // the form is a fixed point
    }

    [Fact]
    public void FourByFourGridsFallIntoTwoClasses()
    {
        // The 288 complete 4x4 grids form exactly 2 classes under relabelling, band/row/stack/column moves and transpose.
        var random = new Random(0);
        var grids = Enumerable.Range(0, 2000).Select(_ => SudokuSolver.RandomSolution(SudokuGeometry.Four, random)).Distinct().ToList();
        Assert.True(grids.Count > 100, $"only {grids.Count} distinct grids drawn");
        Assert.Equal(2, grids.Select(SudokuEquivalence.Canonical).Distinct().Count());
    }

    [Fact]
    public void DifferentPuzzlesAreNotEquivalent()
    {
        var random = new Random(1);
        var a = SudokuGenerator.MinimalPuzzle(SudokuGeometry.Six, random).Question;
        var b = SudokuGenerator.MinimalPuzzle(SudokuGeometry.Six, random).Question;
        Assert.False(SudokuEquivalence.AreEquivalent(a, b));
    }

    [Fact]
    public void NineByNineComparesRelabelledDigitsOnly()
    {
        var puzzle = Parse(Easy);
        var relabelled = new SudokuTransform(SudokuGeometry.Nine, [0, 9, 8, 7, 6, 5, 4, 3, 2, 1], [.. Enumerable.Range(0, 9)], [.. Enumerable.Range(0, 9)], false);
        var rowsSwapped = new SudokuTransform(SudokuGeometry.Nine, [.. Enumerable.Range(0, 10).Select(d => (byte)d)], [1, 0, 2, 3, 4, 5, 6, 7, 8], [.. Enumerable.Range(0, 9)], false);
        Assert.False(SudokuEquivalence.IsExact(SudokuGeometry.Nine));
        Assert.True(SudokuEquivalence.AreEquivalent(puzzle, relabelled.Apply(puzzle)));
        Assert.False(SudokuEquivalence.AreEquivalent(puzzle, rowsSwapped.Apply(puzzle)));  // the documented gap
    }
}
