using Trm.Data;

namespace Trm.Puzzles.Sudoku;

/// <summary>
/// What to generate: <see cref="Train"/> and <see cref="Test"/> minimal puzzles of <see cref="Size"/> (4, 6 or 9),
/// each rated at least <see cref="MinDifficulty"/>, from <see cref="Seed"/> (same options, same puzzles).
/// <see cref="MaxRejections"/>: candidates rejected in a row before giving up (the floor or the size leaves too few puzzles).
/// </summary>
public sealed record SudokuGenerationOptions
{
    public int Size { get; init; } = 9;
    public int Train { get; init; } = 1000;
    public int Test { get; init; } = 1000;
    public int MinDifficulty { get; init; }
    public int Seed { get; init; }
    public int MaxRejections { get; init; } = 50_000;
}

/// <summary>A generated train and test split.</summary>
public sealed record SudokuSplits(IReadOnlyList<SudokuPuzzle> Train, IReadOnlyList<SudokuPuzzle> Test);

/// <summary>Generates unique-solution, minimal, rated Sudoku puzzles offline.</summary>
public static class SudokuGenerator
{
    /// <summary>The CSV <c>source</c> of generated puzzles.</summary>
    public const string Source = "trm-generated";

    /// <summary>
    /// Generates both splits from one seeded stream of <see cref="MinimalPuzzle"/>s. Guarantees: no
    /// question appears twice in a split, and no test question is equivalent to a training question
    /// (<see cref="SudokuEquivalence"/>; for 9x9 that check relabels digits only). Each equivalence class
    /// belongs to the split that drew it first; a new class goes to the split that is less complete,
    /// so sizes with few classes (4x4 has a few dozen) still fill both splits with distinct puzzles.
    /// </summary>
    /// <exception cref="TrmException">When <see cref="SudokuGenerationOptions.MaxRejections"/> candidates in a row are rejected.</exception>
    public static SudokuSplits Generate(SudokuGenerationOptions options, IProgress<BuildProgress>? progress = null)
    {
        var geometry = SudokuGeometry.ForSize(options.Size)
            ?? throw new ArgumentOutOfRangeException(nameof(options), $"size {options.Size} is not 4, 6 or 9");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Train);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Test);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRejections, 1);

        var random = new Random(options.Seed);
        int[] wanted = [options.Train, options.Test];
        var splits = new[] { new List<SudokuPuzzle>(options.Train), new List<SudokuPuzzle>(options.Test) };
        var questions = new[] { new HashSet<SudokuGrid>(), new HashSet<SudokuGrid>() };
        var owners = new Dictionary<SudokuGrid, int>();  // canonical form -> split index
        int total = options.Train + options.Test, done = 0;
        int belowFloor = 0, repeated = 0, otherSplit = 0, highestRating = 0;
        progress?.Report(new BuildProgress("puzzles", 0, total));
        while (done < total)
        {
            var puzzle = MinimalPuzzle(geometry, random);
            highestRating = Math.Max(highestRating, puzzle.Rating);
            int split = -1;
            if (puzzle.Rating < options.MinDifficulty) belowFloor++;
            else
            {
                var canonical = SudokuEquivalence.Canonical(puzzle.Question);
                if (!owners.TryGetValue(canonical, out split)) owners[canonical] = split = LessComplete(splits[0].Count, splits[1].Count, wanted);
                if (splits[split].Count == wanted[split]) { otherSplit++; split = -1; }
                else if (!questions[split].Add(puzzle.Question)) { repeated++; split = -1; }
            }
            if (split < 0)
            {
                if (belowFloor + repeated + otherSplit < options.MaxRejections) continue;
                throw new TrmException(
                    $"gave up after {options.MaxRejections} {geometry} candidates in a row were rejected: {belowFloor} rated below {options.MinDifficulty} " +
                    $"(highest rating seen {highestRating}), {repeated} repeated a puzzle of their split, {otherSplit} were equivalent to a puzzle of the other split. " +
                    $"Generated {splits[0].Count}/{options.Train} train and {splits[1].Count}/{options.Test} test puzzles; ask for fewer puzzles, a lower minimum difficulty or a larger size.");
            }
            (belowFloor, repeated, otherSplit) = (0, 0, 0);
            splits[split].Add(puzzle);
            done++;
            progress?.Report(new BuildProgress("puzzles", done, total));
        }
        return new SudokuSplits(splits[0], splits[1]);
    }

    /// <summary>0 (train) or 1 (test): the split with the smaller share of its target that still wants puzzles; train on ties.</summary>
    static int LessComplete(int train, int test, int[] wanted) =>
        train < wanted[0] && (test >= wanted[1] || (long)train * wanted[1] <= (long)test * wanted[0]) ? 0 : 1;

    /// <summary>
    /// One minimal puzzle: a random full solution, then its cells in random order each blanked unless
    /// that makes the solution non-unique. One pass suffices: a clue that could not go while more clues
    /// were present cannot go later either, so no remaining clue is removable.
    /// </summary>
    public static SudokuPuzzle MinimalPuzzle(SudokuGeometry geometry, Random random)
    {
        var answer = SudokuSolver.RandomSolution(geometry, random);
        var cells = answer.Cells.ToArray();
        var order = Enumerable.Range(0, cells.Length).ToArray();
        random.Shuffle(order);
        foreach (int cell in order)
        {
            byte clue = cells[cell];
            cells[cell] = 0;
            if (SudokuSolver.CountSolutions(geometry, cells, 2) != 1) cells[cell] = clue;
        }
        var question = new SudokuGrid(geometry, cells);
        return new SudokuPuzzle(Source, question, answer, SudokuSolver.Rate(question));
    }
}
