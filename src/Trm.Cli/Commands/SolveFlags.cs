using Trm.Checkpoints;
using Trm.IO;
using System.CommandLine;
using Trm.Inference;
using Trm.Onnx;
using Trm.Puzzles;
using Trm.Rendering;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary>The flags every <c>trm solve</c> kind shares: which model, how to step, where results go.</summary>
/// <param name="batchSize">The default of <c>--batch-size</c> (ARC solves many augmented copies of one task, and defaults lower).</param>
public sealed class SolveFlags(int batchSize = SolveFlags.DefaultBatchSize)
{
    public const int DefaultBatchSize = 256;

    public readonly Option<DirectoryInfo> Checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint directory (ours, or the reference's: all_config.yaml beside step_N)", Required = true };
    public readonly Option<FileInfo?> Onnx = new Option<FileInfo?>("--onnx") { Description = "An exported step (trm export onnx) to solve with on ONNX Runtime instead of a checkpoint on libtorch" };
    public readonly Option<bool> Ema = new Option<bool>("--ema") { Description = "Use the EMA weights (ema.pt)" };
    public readonly Option<FileInfo?> Weights = new Option<FileInfo?>("--weights") { Description = "Weights file to use instead of the directory's own (.pt, step_N or .safetensors)" };
    public readonly Option<int?> MaxSteps = new Option<int?>("--max-steps") { Description = "Supervision steps at most (default: the model's halt_max_steps)" }.Within("MaxSteps");
    public readonly Option<bool> FixedSteps = new Option<bool>("--fixed-steps") { Description = "Run --max-steps steps for every puzzle (the reference's evaluation) instead of stopping when the Q head says done" };
    public readonly Option<double> HaltThreshold = new Option<double>("--halt-threshold")
    {
        Description = $"Stop a puzzle once sigmoid(q_halt) exceeds this (0.5 is the reference's q_halt > 0; the default {SolveOptions.DefaultHaltThreshold} lost no accuracy where measured, see README)",
        DefaultValueFactory = _ => SolveOptions.DefaultHaltThreshold,
    }.Within("HaltThreshold");
    public readonly Option<int> BatchSize = new Option<int>("--batch-size") { Description = "Puzzles in flight at once", DefaultValueFactory = _ => batchSize }.Within("BatchSize");
    public readonly Option<string> Device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
    public readonly Option<FileInfo?> Output = new Option<FileInfo?>("--out") { Description = "Also write the answers and every step as JSON to this file" };
    public readonly SamplingFlags Sampling = new();
    public readonly Option<FileInfo?> Render = new Option<FileInfo?>("--render") { Description = "Draw the refinement trajectory (the answer after each step) to FILE.png, .gif or .html; with a file of puzzles, the first one's" };

    /// <summary>The library's names of the settings these flags set (<see cref="SolveOptions"/>, <see cref="Model.HaltingPolicy"/>), for
    /// <see cref="CommandRunner.Run"/> to report a refused setting by its flag.</summary>
    public IReadOnlyDictionary<string, string> Flags => new Dictionary<string, string>(Sampling.Flags)
    {
        [nameof(SolveOptions.MaxSteps)] = MaxSteps.Name,
        [nameof(SolveOptions.HaltThreshold)] = HaltThreshold.Name,
        [nameof(SolveOptions.BatchSize)] = BatchSize.Name,
    };

    /// <param name="without">Flags this command does not take.</param>
    public void AddTo(Command command, params Option[] without) => AddTo(command, sampling: true, without);

    /// <param name="sampling">Whether the command takes the test-time compute flags (<see cref="SamplingFlags"/>).</param>
    /// <param name="without">Flags this command does not take.</param>
    public void AddTo(Command command, bool sampling, params Option[] without)
    {
        foreach (var option in new Option[] { Checkpoint, Ema, Weights, MaxSteps, FixedSteps, HaltThreshold, BatchSize, Device, Output, Render }.Except(without))
            command.Options.Add(option);
        if (sampling) Sampling.AddTo(command);
        takesSampling = sampling;
    }

    bool takesSampling, takesOnnx;

    /// <summary>Adds <c>--onnx</c>: the command then takes exactly one of <c>--checkpoint</c> and <c>--onnx</c>.</summary>
    public void AddOnnxTo(Command command)
    {
        command.Options.Insert(command.Options.IndexOf(Checkpoint) + 1, Onnx);
        Checkpoint.Required = false;
        takesOnnx = true;
    }

    /// <summary>With <c>--onnx</c>, the flags that only a checkpoint on libtorch takes, refused by name; exactly one model is asked for.</summary>
    void CheckModelFlags(ParseResult parse)
    {
        if (!takesOnnx) return;
        bool checkpoint = parse.GetValue(Checkpoint) is not null, onnx = parse.GetValue(Onnx) is not null;
        if (checkpoint == onnx)
            throw new TrmException(checkpoint ? $"pass {Checkpoint.Name} or {Onnx.Name}, not both." : $"pass {Checkpoint.Name} DIR (a checkpoint) or {Onnx.Name} FILE (a step exported by trm export onnx).");
        if (!onnx) return;
        var libtorchOnly = new Option[] { Ema, Weights, Device }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (libtorchOnly.Count > 0)
            throw new TrmException($"{string.Join(" and ", libtorchOnly)} {(libtorchOnly.Count == 1 ? "is" : "are")} for {Checkpoint.Name}: an exported step runs on ONNX Runtime's CPU with the weights it was exported with; drop {(libtorchOnly.Count == 1 ? "it" : "them")} or export again.");
        if (takesSampling && parse.GetValue(Sampling.Noise) != 0)
            throw new TrmException($"{Sampling.Noise.Name} is for {Checkpoint.Name}: the ONNX Runtime solver adds no latent noise (libtorch's generator draws it); leave it at 0 or solve with the checkpoint.");
    }

    /// <summary>The solve options the flags ask for, checked (a bad one names its flag through <see cref="Flags"/>) with the
    /// output paths (<see cref="CheckOutputs"/>) before any model loads.</summary>
    /// <param name="inputs">The files the command reads besides the checkpoint (the puzzle file): no output may replace them.</param>
    public SolveOptions Options(ParseResult parse, params string?[] inputs)
    {
        CheckModelFlags(parse);
        var options = new SolveOptions(parse.GetValue(MaxSteps), !parse.GetValue(FixedSteps), parse.GetValue(BatchSize), parse.GetValue(HaltThreshold),
            takesSampling ? Sampling.Read(parse) : null).Checked();
        CheckOutputs(Inputs(parse, inputs), (Render.Name, parse.GetValue(Render)?.FullName), (Output.Name, parse.GetValue(Output)?.FullName));
        return options;
    }

    /// <summary>What a solve reads, which no output may replace: the checkpoint's files and <c>--weights</c>, or the <c>--onnx</c> file,
    /// and <paramref name="files"/>.</summary>
    IEnumerable<string?> Inputs(ParseResult parse, params string?[] files) => parse.GetValue(Onnx) is { } onnx
        ? files.Prepend(onnx.FullName)
        : CheckpointFiles.Inputs(parse.GetValue(Checkpoint)!.FullName).Append(parse.GetValue(Weights)?.FullName).Concat(files);

    /// <summary>
    /// Checks where results will go before anything runs, so that a solve is not thrown away at its end: a picture
    /// (<c>--render</c>) needs a format's extension, and each file's folder must exist or be creatable in the nearest folder
    /// that does, which is probed by writing and removing an empty file (as <c>trm train</c> probes its run directory); no output may be one of
    /// <paramref name="inputs"/> (under any name) or replace it.
    /// </summary>
    public static void CheckOutputs(IEnumerable<string?> inputs, (string Flag, string? Path) picture, params (string Flag, string? Path)[] files)
    {
        var read = inputs.ToList();
        if (picture.Path is not null) ImageFormats.FromPath(picture.Path, ImageFormat.Png, ImageFormat.Gif, ImageFormat.Html);
        foreach (var (flag, path) in files.Prepend(picture))
        {
            if (path is null) continue;
            UserFile.RequireNotInput(path, read, $"choose another {flag}");
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            while (!Directory.Exists(folder) && !File.Exists(folder) && Path.GetDirectoryName(folder) is { } parent) folder = parent;
            if (File.Exists(folder)) throw new TrmException($"{flag} {path}: {folder} is a file, not a folder; choose another path.");
            try
            {
                var probe = Path.Combine(folder, $".write-check-{Environment.ProcessId}");
                File.WriteAllText(probe, "");
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TrmException($"{flag} {path}: cannot write in {folder} ({e.Message}); choose another path.", e);
            }
        }
    }

    /// <summary>The model asked for: the exported step of <c>--onnx</c> on ONNX Runtime, or the checkpoint on libtorch.</summary>
    public IPuzzleModel LoadSolver(ParseResult parse) =>
        parse.GetValue(Onnx) is { } onnx ? OnnxModel.Load(onnx.FullName) : LoadModel(parse);

    public TrmModel LoadModel(ParseResult parse) => TrmModel.Load(parse.GetValue(Checkpoint)!.FullName, parse.GetValue(Ema), parse.GetValue(Weights)?.FullName, parse.GetValue(Device)!);

    /// <summary>How a solution stopped, for people: "steps: 2 of at most 16 (the Q head said done; halt confidence 99.7 %)".</summary>
    public static string Steps(Solution solution, SolveOptions options, IPuzzleModel model)
    {
        string why = solution.Stopped switch
        {
            StopReason.FixedSteps => "fixed steps",
            StopReason.QHead => "the Q head said done",
            _ => "reached the cap",
        };
        return $"steps: {solution.StepsUsed} of at most {options.MaxSteps ?? model.HaltMaxSteps} ({why}; halt confidence {solution.HaltProbability:P1})";
    }

    /// <summary>For one puzzle solved with test-time compute, how its runs went: "runs: 16, chosen by q; 3 distinct answers, the chosen
    /// one from 12 runs; any run right (oracle): yes". Null for a plain solve.</summary>
    public static string? Runs(IPuzzle puzzle, Solution solution, SolveOptions options)
    {
        if (options.Compute.IsPlain) return null;
        int runs = Math.Max(solution.Candidates.Sum(c => c.Trajectories), 1);
        int distinct = Math.Max(solution.Candidates.Count, 1);
        int chosen = solution.Candidates.FirstOrDefault(c => c.Answer.SequenceEqual(solution.Answer))?.Trajectories ?? 1;
        bool oracle = PuzzleSolving.AnyCandidateSolves(puzzle, solution) == true;
        return $"runs: {runs}, chosen by {Trm.Solving.Sampling.Name(options.Compute.Select)}; {distinct} distinct answer{(distinct == 1 ? "" : "s")}, " +
            $"the chosen one from {chosen} run{(chosen == 1 ? "" : "s")}; any run right (oracle): {(oracle ? "yes" : "no")}";
    }

    /// <summary>For a file solved with test-time compute: how many puzzles any run got right, beside the chosen answers' count. Null for a plain solve.</summary>
    public static string? Oracle(IReadOnlyList<IPuzzle> puzzles, IReadOnlyList<Solution> solutions, SolveOptions options)
    {
        if (options.Compute.IsPlain) return null;
        int any = puzzles.Zip(solutions).Count(p => PuzzleSolving.AnyCandidateSolves(p.First, p.Second) == true);
        return $"any run right (oracle, pass@{options.Compute.RunsPerPuzzle}): {any} of {puzzles.Count} ({(double)any / puzzles.Count:P1})";
    }

    /// <summary>Writes <c>--out</c> (one record, or an array for a file of puzzles) and draws <c>--render</c>, as asked.</summary>
    public void WriteOutputs(ParseResult parse, IReadOnlyList<PuzzleOutcome> outcomes, TextWriter output)
    {
        if (parse.GetValue(Render) is { } picture)
        {
            SolveRendering.Write(outcomes[0].Record(), picture.FullName);
            output.WriteLine($"drew {(outcomes.Count > 1 ? "the first puzzle's " : "")}trajectory to {picture.FullName}");
        }
        if (parse.GetValue(Output) is { } json) SolveRecord.Write(json.FullName, [.. outcomes.Select(o => o.Record())]);
    }
}
