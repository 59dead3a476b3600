using System.CommandLine;
using System.Globalization;
using System.Text;
using Trm.IO;
using Trm.Model;
using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;
using Trm.Rendering;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary>
/// <c>trm scaling sudoku|maze --checkpoint DIR FILE --out DIR</c>: held-out accuracy against test-time compute (noisy
/// trajectories, deeper recursion, augmentation voting) on a file of puzzles with their oracle, the Q head's alignment and
/// the speed, as a table (<c>scaling.md</c>) and a plot (<c>scaling.png</c>).
/// </summary>
public static class ScalingCommand
{
    public static Command Create() => new("scaling", "Measure accuracy against test-time compute on a file of puzzles: a table and a plot, with the oracle (any run right) beside the chosen answer.")
    {
        For("sudoku", path => [.. SudokuKind.Questions(path)]),
        For("maze", path => [.. MazeKind.Questions(path)]),
    };

    static Command For(string kind, Func<string, IReadOnlyList<IPuzzle<PuzzleOutcome>>> read)
    {
        var flags = new SolveFlags();
        var file = new Argument<FileInfo>("file") { Description = $"Puzzles with answers to check: a file as trm solve {kind} takes it (the held-out CSV)" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory to create with scaling.md and scaling.png", Required = true };
        var limit = new Option<int>("--limit") { Description = "Use the first N puzzles of the file", DefaultValueFactory = _ => 200 }.Within("Limit");
        var trajectories = new Option<string>("--trajectories") { Description = "Trajectories K to measure", DefaultValueFactory = _ => "1,2,4,8,16" };
        var noise = new Option<string>("--noise") { Description = "Noise scales sigma to measure (each a series over K)", DefaultValueFactory = _ => "0.3,1" };
        var steps = new Option<string>("--steps") { Description = "Supervision steps D as multiples of the trained halt_max_steps", DefaultValueFactory = _ => "1,2" };
        var select = new Option<string>("--select") { Description = "Selections to measure: q, vote, qvote, converged", DefaultValueFactory = _ => "q,vote" };
        var augment = new Option<string>("--augment") { Description = "Augmented copies to measure, one run each, voted (0: none)", DefaultValueFactory = _ => "2,4,8" };
        var noiseOn = new Option<string>("--noise-on") { Description = "Which latents get the noise: z_L, z_H or both", DefaultValueFactory = _ => "z_L" };
        var seedOption = new Option<ulong>("--seed") { Description = "Seed of the noise and the copies", DefaultValueFactory = _ => 0 }.Within("Seed");
        var command = new Command(kind, $"Accuracy against test-time compute on {kind} puzzles.") { file, outDir, limit, trajectories, noise, steps, select, augment, noiseOn, seedOption };
        flags.AddTo(command, sampling: false, flags.MaxSteps, flags.Output, flags.Render);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var output = parse.GetValue(outDir)!.FullName;
            AtomicOutput.RequireAbsent(output, "--out makes a new directory; choose another");
            if (parse.GetValue(limit) < 1) throw new TrmException($"--limit must be at least 1 (is {parse.GetValue(limit)}).");
            var target = Enum.GetValues<NoiseTarget>().Where(t => LatentNoise.Name(t) == parse.GetValue(noiseOn)).ToList() is [var one] ? one
                : throw new TrmException($"--noise-on must be z_L, z_H or both (is '{parse.GetValue(noiseOn)}').");
            var selections = List(select, parse, s => Enum.GetValues<TrajectorySelection>().Where(v => Sampling.Name(v) == s).ToList() is [var v] ? v : (TrajectorySelection?)null);
            var ks = List(trajectories, parse, s => int.TryParse(s, CultureInfo.InvariantCulture, out int k) ? k : (int?)null);
            var sigmas = List(noise, parse, s => double.TryParse(s, CultureInfo.InvariantCulture, out double v) ? v : (double?)null);
            var multiples = List(steps, parse, s => int.TryParse(s, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v : (int?)null);
            var copies = List(augment, parse, s => int.TryParse(s, CultureInfo.InvariantCulture, out int v) ? v : (int?)null);
            var puzzles = read(parse.GetValue(file)!.FullName).Take(parse.GetValue(limit)).ToList();
            if (puzzles.Count == 0) throw new TrmException($"{parse.GetValue(file)!.FullName}: no puzzles in the file.");
            PuzzleSolving.Shape(puzzles);
            var options = flags.Options(parse, parse.GetValue(file)!.FullName);
            var seed = parse.GetValue(seedOption);
            // Every point checked before the model loads; its steps are multiples of halt_max_steps, known once it has.
            var points = new List<(Sampling Sampling, int Multiple)> { (Sampling.None, 1) };
            foreach (var multiple in multiples)
                foreach (var sigma in sigmas)
                    foreach (var selection in selections)
                        points.AddRange(ks.Select(k => (new Sampling(k, sigma, target, selection, 0, seed).Checked(), multiple)));
            points.AddRange(copies.Where(c => c > 0).Select(c => (new Sampling(1, 0, target, TrajectorySelection.Vote, c, seed).Checked(), 1)));
            using var model = flags.LoadModel(parse);
            int trained = model.Config.Arch.Model.HaltMaxSteps;
            var grid = points.Select(p => (p.Sampling, p.Multiple * trained)).ToList();

            Console.WriteLine($"{puzzles.Count} puzzles, {grid.Count} points ({ProcessorInfo.Current.Describe()})");
            var table = new StringBuilder("| runs | trajectories | copies | sigma | D | select | solved | oracle | Q AUROC | puzzles/s | runs/s |\n| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
            var measured = ScalingStudy.Run(model, puzzles, grid, options, point =>
            {
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {point.Sampling.RunsPerPuzzle} | {point.Sampling.Trajectories} | {point.Sampling.Augment} | {point.Sampling.Noise} | {point.MaxSteps} | {Sampling.Name(point.Sampling.Select)} | " +
                    $"{point.Solved:P1} | {point.Oracle:P1} | {point.QAlignment:F3} | {point.PuzzlesPerSecond:F1} | {point.RunsPerSecond:F0} |");
                Console.WriteLine(row);
                table.AppendLine(row);
            });
            AtomicOutput.WriteDirectory(output, temporary =>
            {
                File.WriteAllText(Path.Combine(temporary, "scaling.md"), table.ToString());
                File.WriteAllBytes(Path.Combine(temporary, "scaling.png"), ScalingPlot.Png($"{kind}: {puzzles.Count} puzzles, {Path.GetFileName(model.WeightsFile)}", measured));
            });
            Console.WriteLine($"wrote {output}/scaling.md and scaling.png");
            return 0;
        }, flags.Flags));
        return command;
    }

    static List<T> List<T>(Option<string> option, ParseResult parse, Func<string, T?> read) where T : struct
    {
        var text = parse.GetValue(option)!;
        var values = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => read(s) ?? throw new TrmException($"{option.Name} '{text}': '{s}' is not a value it takes.")).ToList();
        return values.Count > 0 ? values : throw new TrmException($"{option.Name} needs at least one value.");
    }

}
