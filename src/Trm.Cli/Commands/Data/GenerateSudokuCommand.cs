using System.CommandLine;
using System.Diagnostics;
using Trm.Data;
using Trm.Puzzles.Sudoku;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data generate-sudoku --out DIR --train N --test M</c>: writes DIR/train.csv and DIR/test.csv of fresh minimal puzzles.</summary>
public static class GenerateSudokuCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory to create with train.csv and test.csv (must not exist)", Required = true };
        var train = new Option<int>("--train") { Description = "Number of training puzzles", Required = true }.Within("Train");
        var test = new Option<int>("--test") { Description = "Number of test puzzles", Required = true }.Within("Test");
        var size = new Option<int>("--size") { Description = "Grid size: 4 (2x2 boxes), 6 (2x3 boxes) or 9 (3x3 boxes)", DefaultValueFactory = _ => 9 }.Within("Size");
        var minDifficulty = new Option<int>("--min-difficulty") { Description = "Keep only puzzles whose solver backtrack count is at least this", DefaultValueFactory = _ => 0 }.Within("MinDifficulty");
        var seed = new Option<int>("--seed") { Description = "Random seed; the same flags give the same puzzles", DefaultValueFactory = _ => 0 }.Within("DataSeed");
        var flags = CommandRunner.Flags((nameof(SudokuGenerationOptions.Train), train), (nameof(SudokuGenerationOptions.Test), test), (nameof(SudokuGenerationOptions.Size), size),
            (nameof(SudokuGenerationOptions.MinDifficulty), minDifficulty), (nameof(SudokuGenerationOptions.Seed), seed));
        var command = new Command("generate-sudoku",
            "Generate unique-solution, minimal Sudoku puzzles offline, as CSVs in the Sudoku-Extreme layout (source,question,answer,rating).")
        {
            output, train, test, size, minDifficulty, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() => Execute(parse.GetValue(output)!, new SudokuGenerationOptions
        {
            Train = parse.GetValue(train), Test = parse.GetValue(test), Size = parse.GetValue(size),
            MinDifficulty = parse.GetValue(minDifficulty), Seed = parse.GetValue(seed),
        }, Console.Out, ProgressDisplay.ForConsole()), flags));
        return command;
    }

    public static int Execute(string outputDirectory, SudokuGenerationOptions options, TextWriter output, IProgress<BuildProgress>? progress = null)
    {
        if (SudokuGeometry.ForSize(options.Size) is null) throw new TrmException($"--size must be 4, 6 or 9, got {options.Size}.");
        if (options.Train < 1) throw new TrmException($"--train must be at least 1, got {options.Train}.");
        if (options.Test < 1) throw new TrmException($"--test must be at least 1, got {options.Test}.");
        if (options.MinDifficulty < 0) throw new TrmException($"--min-difficulty must be 0 or more, got {options.MinDifficulty}.");
        var directory = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(directory) || File.Exists(directory))
            throw new TrmException($"--out {directory} already exists; remove it or choose another directory.");

        var clock = Stopwatch.StartNew();
        var splits = SudokuGenerator.Generate(options, progress);
        SudokuCsv.WriteDirectory(directory, splits);
        output.WriteLine($"Generated {splits.Train.Count} train and {splits.Test.Count} test {options.Size}x{options.Size} puzzles in {clock.Elapsed.TotalSeconds:F1} s (seed {options.Seed}):");
        foreach (var (name, puzzles) in new[] { ("train", splits.Train), ("test", splits.Test) })
            output.WriteLine($"  {name,-5}: mean rating {puzzles.Average(p => p.Rating):F2} (max {puzzles.Max(p => p.Rating)}), " +
                $"mean blanks {puzzles.Average(p => p.Question.BlankCount):F1} of {options.Size * options.Size} ({puzzles.Average(p => p.Question.BlankFraction):P1})");
        output.WriteLine($"  wrote {Path.Combine(directory, "train.csv")} and test.csv");
        return 0;
    }
}
