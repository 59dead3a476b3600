using System.CommandLine;
using System.Diagnostics;
using Trm.Puzzles.Maze;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data maze --input DIR --out DIR</c>: builds the Maze-Hard dataset from train.csv and test.csv.</summary>
public static class MazeCommand
{
    public static Command Create()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Directory with train.csv and test.csv (source,question,answer,rating)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Dataset directory to create (must not exist)", Required = true };
        var subsample = new Option<int?>("--subsample-size") { Description = "Keep this many train mazes, chosen by --seed" }.Within("SubsampleSize");
        var augment = new Option<bool>("--aug") { Description = "Add the 8 rotations and reflections of every train maze (test is never augmented)" };
        var seed = new Option<int>("--seed") { Description = "Random seed of the subsample", DefaultValueFactory = _ => 0 }.Within("DataSeed");
        var flags = CommandRunner.Flags((nameof(MazeBuildOptions.InputDirectory), input), (nameof(MazeBuildOptions.OutputDirectory), output),
            (nameof(MazeBuildOptions.SubsampleSize), subsample), (nameof(MazeBuildOptions.Augment), augment), (nameof(MazeBuildOptions.Seed), seed));
        var command = new Command("maze", "Build the maze dataset (as the reference's build_maze_dataset.py) from Maze-Hard style CSV files.")
        {
            input, output, subsample, augment, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            if (parse.GetValue(subsample) is < 1 and var wanted) throw new TrmException($"{subsample.Name} must be at least 1, is {wanted}.");
            var options = new MazeBuildOptions(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName,
                parse.GetValue(subsample), parse.GetValue(augment), parse.GetValue(seed));
            var summary = MazeDatasetBuilder.Build(options, ProgressDisplay.ForConsole());
            Console.WriteLine($"Built the maze dataset in {clock.Elapsed.TotalSeconds:F1} s:");
            Console.WriteLine(summary);
            return 0;
        }, flags));
        return command;
    }
}
