using System.CommandLine;
using System.Diagnostics;
using Trm.Puzzles.Maze;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data generate-maze --out DIR --train N --test M --min-path L</c>: writes DIR/train.csv and DIR/test.csv.</summary>
public static class GenerateMazeCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to create with train.csv and test.csv (must not exist)", Required = true };
        var size = new Option<int>("--size") { Description = "Side of the square mazes", DefaultValueFactory = _ => 30 }.Within("Size");
        var train = new Option<int>("--train") { Description = "Number of train mazes", Required = true }.Within("Train");
        var test = new Option<int>("--test") { Description = "Number of test mazes", Required = true }.Within("Test");
        var minPath = new Option<int>("--min-path") { Description = "Fewest moves of the shortest path from S to G (Maze-Hard: 110)", Required = true }.Within("MinPath");
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same files", DefaultValueFactory = _ => 0 }.Within("DataSeed");
        var flags = CommandRunner.Flags((nameof(MazeGenerationOptions.Size), size), (nameof(MazeGenerationOptions.MinPath), minPath), (nameof(MazeGenerationOptions.Seed), seed));
        var command = new Command("generate-maze",
            "Generate Maze-Hard style mazes offline: corridor mazes with a unique shortest path of at least --min-path moves, as CSV.")
        {
            output, size, train, test, minPath, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            var options = new MazeGenerationOptions(parse.GetValue(size), parse.GetValue(minPath), parse.GetValue(seed));   // in range: checked as parsed
            var summary = MazeDirectory.Generate(parse.GetValue(output)!.FullName, options, parse.GetValue(train), parse.GetValue(test),
                ProgressDisplay.ForConsole());
            Console.WriteLine($"Generated {summary.Train + summary.Test} mazes in {clock.Elapsed.TotalSeconds:F1} s:");
            Console.WriteLine(summary);
            return 0;
        }, flags));
        return command;
    }
}
