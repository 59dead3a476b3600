using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Trm.Checkpoints;
using Trm.Configuration;
using Trm.Export;
using Trm.Inference;
using Trm.Model;
using Trm.Onnx;
using Trm.Puzzles;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Cli.Commands;

/// <summary>
/// <c>trm bench onnx</c>: ONNX Runtime against TorchSharp, side by side in one process on the same puzzles: solving throughput at
/// several batch sizes (fixed steps, so both run the same work), and cold start (a fresh <c>trm solve</c> process to its answer),
/// for the default run's model and the paper's Sudoku-size one, with random weights (speed does not depend on them).
/// </summary>
public static class BenchOnnxCommand
{
    /// <summary>A model measured: a preset at a dataset's shape, computing in float32 in both engines.</summary>
    sealed record Subject(string Name, string Preset, int SeqLen, int VocabSize, string ColdStartPuzzle);

    static readonly Subject[] Subjects =
    [
        new("default (sudoku4-cpu)", "sudoku4-cpu", 16, 6, ".4....3..3....2."),
        new("paper Sudoku (sudoku-mlp, hidden 512)", "sudoku-mlp", 81, 11, "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3.."),
    ];

    public static Command Create()
    {
        var batches = new Option<int[]>("--batch") { Description = "Batch sizes (slots) to measure", DefaultValueFactory = _ => [1, 16, 256], AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Supervision steps per puzzle (fixed)", DefaultValueFactory = _ => 4 }.Within("InferenceSteps");
        var seconds = new Option<double>("--seconds") { Description = "Time each measurement runs for, at least (after one warm-up solve)", DefaultValueFactory = _ => 5 }.Within("MeasureSeconds");
        var models = new Option<string[]>("--model") { Description = "default and/or paper (default: both)", DefaultValueFactory = _ => ["default", "paper"], AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int>("--threads") { Description = "Threads for both engines (0: each its default, all cores)" }.Within("Threads");
        var command = new Command("onnx", "ONNX Runtime against TorchSharp: solving throughput at batch 1, 16 and 256, and cold start of trm solve, for the default and the paper's Sudoku model (random weights).")
        {
            batches, steps, seconds, models, threads,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var chosen = parse.GetValue(models)!.Select(m => m switch
            {
                "default" => Subjects[0],
                "paper" => Subjects[1],
                _ => throw new TrmException($"--model {m}: use default or paper."),
            }).ToList();
            if (parse.GetValue(batches)!.Any(b => b < 1)) throw new TrmException("--batch: every batch size must be at least 1.");
            if (parse.GetValue(steps) < 1) throw new TrmException("--steps must be at least 1.");
            Run(chosen, parse.GetValue(batches)!, parse.GetValue(steps), parse.GetValue(seconds), parse.GetValue(threads), Console.Out);
            return 0;
        }));
        return command;
    }

    static void Run(IReadOnlyList<Subject> subjects, int[] batches, int steps, double seconds, int threads, TextWriter output)
    {
        if (threads > 0) set_num_threads(threads);
        var work = Directory.CreateTempSubdirectory("trm-bench-onnx-").FullName;
        try
        {
            output.WriteLine($"{ProcessorInfo.Current.Describe()}; {steps} fixed steps per puzzle; float32 in both engines; threads: {(threads > 0 ? threads : "each engine's default")}");
            output.WriteLine("| model | batch | TorchSharp puzzles/s | ONNX Runtime puzzles/s | ONNX / Torch |");
            output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            var files = new List<(Subject Subject, string Checkpoint, string Onnx)>();
            foreach (var subject in subjects)
            {
                var (checkpoint, onnx) = Build(subject, Path.Combine(work, subject.Preset));
                files.Add((subject, checkpoint, onnx));
                var random = new Random(0);
                using var torchModel = TrmModel.Load(checkpoint);
                using var onnxModel = OnnxModel.Load(onnx, threads);
                foreach (int batch in batches)
                {
                    var requests = Enumerable.Range(0, batch).Select(_ => new PuzzleRequest([.. Enumerable.Range(0, subject.SeqLen).Select(_ => random.Next(1, subject.VocabSize))])).ToList();
                    var options = new SolveOptions(steps, Adaptive: false, BatchSize: batch);
                    double torch = Throughput(torchModel, requests, options, seconds), ort = Throughput(onnxModel, requests, options, seconds);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {subject.Name} | {batch} | {torch:F1} | {ort:F1} | {ort / torch:F2} |"));
                }
            }
            output.WriteLine();
            output.WriteLine("| model | cold start: trm solve --checkpoint | trm solve --onnx |");
            output.WriteLine("| --- | ---: | ---: |");
            foreach (var (subject, checkpoint, onnx) in files)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {subject.Name} | {ColdStart("--checkpoint", checkpoint, subject):F2} s | {ColdStart("--onnx", onnx, subject):F2} s |"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // A checkpoint of the preset's model with random weights, in float32, and its export.
    static (string Checkpoint, string Onnx) Build(Subject subject, string directory)
    {
        var preset = Presets.Load(subject.Preset, []);
        var config = preset with
        {
            Arch = preset.Arch with
            {
                Model = preset.Arch.Model with { SeqLen = subject.SeqLen, VocabSize = subject.VocabSize, NumPuzzleIdentifiers = 1, ForwardDtype = ForwardDtype.Float32 },
            },
        };
        manual_seed(config.Seed);
        using var model = new ActLossHead(config.Arch.Model, config.Arch.Loss.LossType);
        var checkpoint = Path.Combine(directory, "step_0");
        CheckpointFiles.Write(checkpoint, new CheckpointFiles.Contents(config, model.state_dict(), null, new Dictionary<string, Tensor>(), null,
            new TrainerState { SeqLen = subject.SeqLen }));
        var onnx = Path.Combine(directory, "step.onnx");
        OnnxExport.Run(new OnnxExportRequest(checkpoint, onnx));
        return (checkpoint, onnx);
    }

    // Puzzles per second over repeated solves of the batch, after one warm-up solve.
    static double Throughput(IPuzzleModel model, IReadOnlyList<PuzzleRequest> requests, SolveOptions options, double seconds)
    {
        model.Solve(requests, options);
        var clock = Stopwatch.StartNew();
        long solved = 0;
        do
        {
            model.Solve(requests, options);
            solved += requests.Count;
        }
        while (clock.Elapsed.TotalSeconds < seconds);
        return solved / clock.Elapsed.TotalSeconds;
    }

    // A fresh trm process solving one puzzle: process start to its exit, the answer printed (median of three).
    static double ColdStart(string flag, string model, Subject subject)
    {
        var trm = Path.Combine(AppContext.BaseDirectory, "trm.dll");
        var times = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { trm, "solve", "sudoku", flag, model, subject.ColdStartPuzzle }) start.ArgumentList.Add(arg);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            times.Add(clock.Elapsed.TotalSeconds);
            if (process.ExitCode is not (0 or 1)) throw new TrmException($"trm solve {flag} failed ({process.ExitCode}): {stderr.Result.Trim()}");
            _ = stdout.Result;
        }
        return times.Order().ElementAt(1);
    }
}
