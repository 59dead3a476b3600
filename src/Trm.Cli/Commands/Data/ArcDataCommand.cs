using System.CommandLine;
using Trm.Puzzles.Arc;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data arc</c>: converts ARC puzzle files into an augmented dataset, as the paper's <c>build_arc_dataset.py</c>.</summary>
public static class ArcDataCommand
{
    public static Command Create()
    {
        var inputPrefix = new Option<string>("--input-prefix")
        {
            Description = "Path prefix of the puzzle files: <prefix>_<subset>_challenges.json and _solutions.json", Required = true,
        };
        var subsets = new Option<string[]>("--subsets")
        {
            Description = "Subsets to read, in order (e.g. training evaluation concept)", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var testSet = new Option<string>("--test-set") { Description = "The subset whose test pairs are held out in test/", Required = true };
        var output = new Option<string>("--out") { Description = "Output dataset directory (must not exist)", Required = true };
        var numAug = new Option<int>("--num-aug") { Description = "Augmentations per puzzle (dihedral transform + colour permutation)", DefaultValueFactory = _ => 1000 }.Within("NumAug");
        var seed = new Option<uint>("--seed") { Description = "Seed of numpy's generator, as the reference's --seed", DefaultValueFactory = _ => 42 }.Within("AdaptSeed");
        var flags = CommandRunner.Flags((nameof(ArcBuildOptions.InputPrefix), inputPrefix), (nameof(ArcBuildOptions.Subsets), subsets),
            (nameof(ArcBuildOptions.TestSet), testSet), (nameof(ArcBuildOptions.OutputDirectory), output), (nameof(ArcBuildOptions.NumAug), numAug), (nameof(ArcBuildOptions.Seed), seed));
        var command = new Command("arc", "Build an ARC dataset: 30x30 canvases, augmented puzzles, the test set's test pairs held out.")
        {
            inputPrefix, subsets, testSet, output, numAug, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() => Execute(
            new ArcBuildOptions(parse.GetValue(inputPrefix)!, parse.GetValue(subsets)!, parse.GetValue(testSet)!, parse.GetValue(output)!,
                parse.GetValue(numAug), parse.GetValue(seed)),
            Console.Out), flags));
        return command;
    }

    public static int Execute(ArcBuildOptions options, TextWriter output)
    {
        var result = ArcDatasetBuilder.Build(options, ProgressDisplay.ForConsole());
        foreach (var warning in result.Warnings) output.WriteLine($"warning: {warning}");
        output.WriteLine($"{result.Puzzles} puzzles ({string.Join(", ", result.PuzzlesPerSubset.Select(s => $"{s.Subset} {s.Puzzles}"))}), " +
            $"{result.TestPairs} test pairs of '{options.TestSet}' held out in test/, {result.Dataset.Splits["train"].NumPuzzleIdentifiers} puzzle identifiers");
        output.WriteLine(result.Dataset);
        return 0;
    }
}
