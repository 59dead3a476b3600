using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuGeneratorTests
{
    [Theory]
    [InlineData(4, 30)]
    [InlineData(6, 30)]
    [InlineData(9, 10)]
    public void PuzzlesAreUniqueMinimalAndMostlyBlank(int size, int count)
    {
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = size, Train = count, Test = count, Seed = 5 });
        var puzzles = splits.Train.Concat(splits.Test).ToList();
        Assert.Equal(2 * count, puzzles.Count);
        foreach (var puzzle in puzzles)
        {
            Assert.Equal(size, puzzle.Geometry.Size);
            Assert.True(SudokuValidator.Solves(puzzle.Question, puzzle.Answer));
            Assert.True(SudokuSolver.HasUniqueSolution(puzzle.Question));
            Assert.Equal(SudokuSolver.Rate(puzzle.Question), puzzle.Rating);
            Assert.True(puzzle.Question.BlankFraction > 0.5, $"{puzzle.Question} is only {puzzle.Question.BlankFraction:P0} blank");
        }
        Assert.True(puzzles.Average(p => p.Question.BlankFraction) > 0.6);

        // Minimal: every remaining clue is needed.
        var first = puzzles[0].Question;
        for (int cell = 0; cell < first.Geometry.CellCount; cell++)
        {
            if (first[cell] == 0) continue;
            var cells = first.Cells.ToArray();
            cells[cell] = 0;
            Assert.Equal(2, SudokuSolver.CountSolutions(new SudokuGrid(first.Geometry, cells), 2));
        }
    }

    [Fact]
    public void RatingsRespectTheFloor()
    {
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 9, Train = 10, Test = 5, MinDifficulty = 3, Seed = 2 });
        Assert.All(splits.Train.Concat(splits.Test), p => Assert.True(p.Rating >= 3 && SudokuSolver.Rate(p.Question) == p.Rating, $"rating {p.Rating}"));
    }

    [Fact]
    public void SameSeedSamePuzzlesOtherSeedOthers()
    {
        static List<string> Run(int seed) =>
            [.. SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 6, Train = 20, Test = 10, Seed = seed }).Train.Select(p => $"{p.Question}|{p.Answer}|{p.Rating}")];
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Theory]
    [InlineData(4, 300, 300)]  // 4x4 has only a few dozen classes of minimal puzzles: both splits must still fill
    [InlineData(6, 100, 100)]
    [InlineData(9, 50, 50)]
    public void NoDuplicatesAndTestIsDisjointFromTrain(int size, int train, int test)
    {
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = size, Train = train, Test = test, Seed = 11 });
        Assert.Equal(train, splits.Train.Select(p => p.Question).Distinct().Count());
        Assert.Equal(test, splits.Test.Select(p => p.Question).Distinct().Count());
        var trainClasses = splits.Train.Select(p => SudokuEquivalence.Canonical(p.Question)).ToHashSet();
        Assert.DoesNotContain(splits.Test, p => trainClasses.Contains(SudokuEquivalence.Canonical(p.Question)));
    }

    [Fact]
    public void AnAugmentedTrainingPuzzleWouldBeRecognised()
    {
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 4, Train = 50, Test = 50, Seed = 4 });
        var trainClasses = splits.Train.Select(p => SudokuEquivalence.Canonical(p.Question)).ToHashSet();
        var random = new Random(0);
        foreach (var puzzle in splits.Train)
        {
            var (augmented, _) = SudokuTransform.Shuffle(puzzle.Question, puzzle.Answer, random);
            Assert.Contains(SudokuEquivalence.Canonical(augmented), trainClasses);
        }
        Assert.DoesNotContain(splits.Test, p => trainClasses.Contains(SudokuEquivalence.Canonical(p.Question)));
    }

    [Fact]
    public void AnUnreachableFloorIsAClearError()
    {
        // Singles solve every minimal 4x4 puzzle, so none rates above 0.
        var error = Assert.Throws<TrmException>(() =>
            SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 4, Train = 5, Test = 5, MinDifficulty = 1, MaxRejections = 500 }));
        Assert.Contains("gave up after 500 4x4 candidates in a row were rejected: 500 rated below 1 (highest rating seen 0)", error.Message);
    }
}
