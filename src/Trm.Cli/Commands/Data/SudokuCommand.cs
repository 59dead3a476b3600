using System.CommandLine;
using System.Diagnostics;
using Trm.Data;
using Trm.Puzzles.Sudoku;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data sudoku --input DIR --out DIR</c>: builds a dataset from DIR/train.csv and DIR/test.csv, as the reference's build_sudoku_dataset.py.</summary>
public static class SudokuCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Directory with train.csv and test.csv (Sudoku-Extreme layout, or from generate-sudoku)", Required = true };
        var output = new Option<string>("--out") { Description = "Dataset directory to create (must not exist)", Required = true };
        var subsample = new Option<int?>("--subsample-size") { Description = "Keep this many random training puzzles (after the difficulty filter)" }.Within("SubsampleSize");
        var minDifficulty = new Option<int?>("--min-difficulty") { Description = "Keep only puzzles rated at least this (both splits)" }.Within("MinDifficulty");
        var numAug = new Option<int>("--num-aug") { Description = "Random digit/row/column shuffles added per training puzzle (the paper uses 1000)", DefaultValueFactory = _ => 0 }.Within("NumAug");
        var seed = new Option<int>("--seed") { Description = "Random seed for the subsample and the augmentations", DefaultValueFactory = _ => 0 }.Within("DataSeed");
        var flags = CommandRunner.Flags((nameof(SudokuDatasetOptions.SubsampleSize), subsample), (nameof(SudokuDatasetOptions.MinDifficulty), minDifficulty),
            (nameof(SudokuDatasetOptions.NumAug), numAug), (nameof(SudokuDatasetOptions.Seed), seed));
        var command = new Command("sudoku", "Build a Sudoku dataset in the reference's format from train.csv and test.csv.")
        {
            input, output, subsample, minDifficulty, numAug, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() => Execute(parse.GetValue(input)!, parse.GetValue(output)!, new SudokuDatasetOptions
        {
            SubsampleSize = parse.GetValue(subsample), MinDifficulty = parse.GetValue(minDifficulty),
            NumAug = parse.GetValue(numAug), Seed = parse.GetValue(seed),
        }, Console.Out, ProgressDisplay.ForConsole()), flags));
        return command;
    }

    public static int Execute(string inputDirectory, string outputDirectory, SudokuDatasetOptions options, TextWriter output, IProgress<BuildProgress>? progress = null)
    {
        if (!Directory.Exists(inputDirectory)) throw new TrmException($"--input {inputDirectory}: directory not found; it should hold train.csv and test.csv.");
        if (options.SubsampleSize is < 1) throw new TrmException($"--subsample-size must be at least 1, got {options.SubsampleSize}.");
        if (options.NumAug < 0) throw new TrmException($"--num-aug must be 0 or more, got {options.NumAug}.");
        var directory = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(directory) || File.Exists(directory))
            throw new TrmException($"--out {directory} already exists; remove it or choose another directory.");

        var clock = Stopwatch.StartNew();
        var summary = SudokuDatasetBuilder.Build(inputDirectory, directory, options, progress);
        output.WriteLine($"Built a Sudoku dataset ({options.NumAug} augmentations per training puzzle) in {clock.Elapsed.TotalSeconds:F1} s:");
        output.WriteLine(summary);
        return 0;
    }
}
