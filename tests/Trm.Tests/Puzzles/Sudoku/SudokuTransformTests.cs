using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuTransformTests
{
    static readonly int[] Identity4 = [0, 1, 2, 3];

    // 4x4 rows: 1234 / 3412 / 2143 / 4321
    static readonly SudokuGrid Grid = new(SudokuGeometry.Four, [1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 2, 1]);

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(9)]
    public void EveryAugmentedPairIsStillValid(int size)
    {
        var geometry = SudokuGeometry.ForSize(size)!;
        var random = new Random(size);
        var puzzle = SudokuGenerator.MinimalPuzzle(geometry, random);
        var seen = new HashSet<SudokuGrid>();
        for (int i = 0; i < 200; i++)
        {
            var (question, answer) = SudokuTransform.Shuffle(puzzle.Question, puzzle.Answer, random);
            Assert.True(SudokuValidator.Solves(question, answer), SudokuValidator.Problem(answer));
            Assert.Equal(puzzle.Question.BlankCount, question.BlankCount);
            Assert.True(SudokuSolver.HasUniqueSolution(question));
            seen.Add(answer);
        }
        // 4x4 has only 288 complete grids, so repeats are expected there.
        Assert.True(seen.Count > (size == 4 ? 100 : 190), $"only {seen.Count} distinct augmentations of 200");
    }

    [Fact]
    public void FollowsTheReferenceOrderTransposeThenRowsAndColumnsThenDigits()
    {
        // transpose: 1324 / 2413 / 3142 / 4231; rows [2,3,0,1]: 3142 / 4231 / 1324 / 2413;
        // columns [1,0,2,3]: 1342 / 2431 / 3124 / 4213; digits 1<->4: 4312 / 2134 / 3421 / 1243.
        var transform = new SudokuTransform(SudokuGeometry.Four, [0, 4, 2, 3, 1], [2, 3, 0, 1], [1, 0, 2, 3], transpose: true);
        Assert.Equal("4312213434211243", transform.Apply(Grid).ToString());
    }

    [Fact]
    public void RefusesOrdersThatBreakBoxes()
    {
        Assert.Throws<ArgumentException>(() => new SudokuTransform(SudokuGeometry.Four, [0, 1, 2, 3, 4], [0, 2, 1, 3], Identity4, false));
        Assert.Throws<ArgumentException>(() => new SudokuTransform(SudokuGeometry.Six, [0, 1, 2, 3, 4, 5, 6], [.. Enumerable.Range(0, 6)], [.. Enumerable.Range(0, 6)], transpose: true));
        Assert.Throws<ArgumentException>(() => new SudokuTransform(SudokuGeometry.Four, [0, 1, 1, 3, 4], Identity4, Identity4, false));
    }

    [Fact]
    public void TransposesHalfTheTimeOnlyWhereBoxesAreSquare()
    {
        // Two clues in one row stay in one row unless the transform transposes.
        static int Transposed(SudokuGeometry geometry)
        {
            var random = new Random(1);
            var clues = new byte[geometry.CellCount];
            (clues[0], clues[1]) = (1, 2);
            var grid = new SudokuGrid(geometry, clues);
            int count = 0;
            for (int i = 0; i < 400; i++)
            {
                var moved = SudokuTransform.Random(geometry, random).Apply(grid);
                var cells = Enumerable.Range(0, geometry.CellCount).Where(c => moved[c] != 0).ToArray();
                if (geometry.Row(cells[0]) != geometry.Row(cells[1])) count++;
            }
            return count;
        }
        Assert.InRange(Transposed(SudokuGeometry.Nine), 160, 240);
        Assert.InRange(Transposed(SudokuGeometry.Four), 160, 240);
        Assert.Equal(0, Transposed(SudokuGeometry.Six));
    }
}
