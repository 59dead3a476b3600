using System.Text.Json;
using Trm.Inference;
using Trm.Model;
using Trm.Puzzles;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;
using Trm.Solving;

namespace Trm.Serving;

/// <summary>
/// The one model a server shares, with what serving needs to know about it: the puzzle kind it solves, the puzzle shape it
/// takes, the step limits, and (ARC) the names of its puzzle-embedding rows. Turns a request's puzzle into an <see cref="IPuzzle"/>
/// through the library's kind, refusing, with the field named, what the model cannot take.
/// </summary>
public sealed class ServedModel : IDisposable
{
    public TrmModel Model { get; }
    public IPuzzleKind Kind { get; }
    /// <summary>Tokens per request (the model's trained sequence length).</summary>
    public int SeqLen { get; }
    public int HaltMaxSteps => Model.Config.Arch.Model.HaltMaxSteps;
    public string Checkpoint { get; }
    readonly IReadOnlyList<string>? identifiers;

    ServedModel(TrmModel model, IPuzzleKind kind, IReadOnlyList<string>? identifiers, string checkpoint)
    {
        (Model, Kind, this.identifiers, Checkpoint) = (model, kind, identifiers, checkpoint);
        SeqLen = model.TrainedSeqLen;
    }

    /// <summary>Most steps a request may ask for: <see cref="ServeOptions.MaxStepsLimit"/>, or four times halt_max_steps (at most 256).</summary>
    public int StepLimit(ServeOptions options) => options.MaxStepsLimit ?? Math.Min(4 * HaltMaxSteps, SolveRecord.MaxSteps);

    /// <summary>Loads the checkpoint; the kind is <see cref="ServeOptions.Kind"/> or told from it (ARC when it has puzzle embeddings
    /// for many puzzles, a maze when its training data's name says so, else Sudoku).</summary>
    public static ServedModel Load(ServeOptions options)
    {
        IPuzzleKind? chosen = null;
        if (options.Kind is { } name)
            chosen = PuzzleKinds.Named(name) ?? throw new TrmSettingsException(nameof(ServeOptions.Kind), $"'{name}' is not a puzzle kind; use {string.Join(", ", PuzzleKinds.All.Select(k => k.Name))}");
        var model = OnItsOwnThread(() => TrmModel.Load(options.Checkpoint, options.Ema, options.Weights, options.Device));
        try
        {
            if (model.TrainedSeqLen == 0)
                throw new TrmException($"{options.Checkpoint}: the checkpoint does not say the sequence length it was trained on (a reference checkpoint with rotary or no positions); trm serve needs one of ours (trm convert INPUT OUTPUT makes one).");
            model.RequireSlotsFit(model.TrainedSeqLen, options.Slots, nameof(ServeOptions.Slots));
            var kind = chosen ?? (model.PuzzleIdentifiers > 2 ? ArcKind.Instance
                : model.Config.DataPaths.Any(p => Path.GetFileName(p.TrimEnd('/')).Contains("maze", StringComparison.OrdinalIgnoreCase)) ? MazeKind.Instance
                : SudokuKind.Instance);
            var names = kind is ArcKind ? ArcSolver.Identifiers(model.Config, options.Data, "").Identifiers : null;
            return new ServedModel(model, kind, names, options.Checkpoint);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="load"/> on a thread that then ends. libtorch's OpenMP keeps a team of threads for each thread that
    /// runs operators; a team left by loading on the caller's thread would stay beside the worker's, and with more team threads
    /// than cores libgomp makes them sleep between operators instead of spinning (on 2 cores, a step of one puzzle at two threads,
    /// timed quiet: 6.1-6.6 ms beside the main thread's team, 3.8-5.1 ms without).
    /// </summary>
    static T OnItsOwnThread<T>(Func<T> load) =>
        Task.Factory.StartNew(load, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).GetAwaiter().GetResult();

    /// <summary>The puzzle of a request, read by the model's kind and checked against the model; errors name <paramref name="field"/>.</summary>
    public IPuzzle Read(string text, string field, string? taskId)
    {
        IPuzzle puzzle;
        try
        {
            puzzle = Kind.Parse(text, Kind is ArcKind ? taskId ?? "task" : field, identifiers);
            Model.RequireFits(puzzle.Shape);
        }
        catch (TrmException e)
        {
            throw ProblemException.Unprocessable(e.Message, field);
        }
        return puzzle;
    }

    /// <summary>The requests of a puzzle (with <paramref name="sampling"/>'s augmented copies), each checked against the model's vocabulary and embedding rows.</summary>
    public IReadOnlyList<PuzzleRequest> Requests(IPuzzle puzzle, Sampling sampling, int limit)
    {
        IReadOnlyList<PuzzleRequest> requests;
        try
        {
            requests = PuzzleSolving.WithCopies(puzzle, sampling);
        }
        catch (TrmException e) when (puzzle is ArcTaskPuzzle arc)
        {
            throw ProblemException.Unprocessable($"{e.Message} This server does not learn new tasks: run `trm solve arc --checkpoint DIR TASK.json --adapt` " +
                $"(test-time training; minutes to hours) and serve the checkpoint it keeps with --keep-adapted.", arc.Copies.Count == 0 ? "task_id" : "puzzle");
        }
        if (requests.Count > limit)
            throw ProblemException.Unprocessable($"the puzzle needs {requests.Count} model requests; this server takes at most {limit} at once (its queue).", "puzzle");
        foreach (var request in requests)
        {
            if (request.Tokens.Length != SeqLen || request.Tokens.Any(t => t < 0 || t >= Model.VocabSize) || request.PuzzleIdentifier < 0 || request.PuzzleIdentifier >= Model.PuzzleIdentifiers)
                throw ProblemException.Unprocessable($"{puzzle.Shape.Description} does not fit the model ({SeqLen} tokens of a vocabulary of {Model.VocabSize}).", "puzzle");
        }
        return requests;
    }

    /// <summary>The halting rule a request asks for, within the server's limits.</summary>
    public HaltingPolicy Policy(int? maxSteps, bool adaptive, double? threshold, int stepLimit)
    {
        if (maxSteps is { } m && (m < 1 || m > stepLimit))
            throw ProblemException.Unprocessable($"max_steps is {m}; this server runs 1 to {stepLimit} supervision steps (the model was trained with {HaltMaxSteps}).", "max_steps");
        if (threshold is { } t && !(t is > 0 and < 1))
            throw ProblemException.Unprocessable($"halt_threshold is {t}; it must be a probability strictly between 0 and 1.", "halt_threshold");
        return new SolveOptions(maxSteps, adaptive, HaltThreshold: threshold ?? SolveOptions.DefaultHaltThreshold).Policy(HaltMaxSteps);
    }

    /// <summary>A request's test-time compute within the server's limit of runs per request, with noise only on latents the model has.</summary>
    public Sampling Sampling(Sampling sampling, int runLimit)
    {
        if (sampling.RunsPerPuzzle > runLimit)
            throw ProblemException.Unprocessable($"trajectories x (augment + 1) is {sampling.RunsPerPuzzle} runs; this server runs at most {runLimit} per puzzle (--max-trajectories).",
                sampling.Trajectories > 1 ? "trajectories" : "augment");
        if (sampling.LatentNoise is { } noise)
        {
            try
            {
                noise.Targets(ArchitectureDefinition.Of(Model.Config.Arch.Name).Latents, Model.Config.Arch.Name);
            }
            catch (TrmSettingsException e)
            {
                throw ProblemException.Unprocessable($"noise_on {e.Problems[0].Problem}.", "noise_on");
            }
        }
        return sampling;
    }

    /// <summary>An answer's tokens as people read the kind: a Sudoku's cells, a maze's rows, an ARC grid.</summary>
    public static object View(IPuzzle puzzle, int[] tokens) => puzzle switch
    {
        SudokuQuestion sudoku => SudokuText.FromTokens(sudoku.Grid.Geometry, tokens).ToString(),
        MazeQuestion => MazeText.Rows(tokens),
        _ => Rows(ArcCanvas.Decode<int>(tokens)),
    };

    static int[][] Rows(byte[,] grid) =>
        [.. Enumerable.Range(0, grid.GetLength(0)).Select(r => Enumerable.Range(0, grid.GetLength(1)).Select(c => (int)grid[r, c]).ToArray())];

    /// <summary>A new puzzle of the model's kind and size, for the page's Generate button (Sudoku and mazes).</summary>
    public string? Example(int seed)
    {
        var random = new Random(seed);
        if (Kind is SudokuKind && SudokuGeometry.ForCellCount(SeqLen) is { } geometry)
            return SudokuGenerator.MinimalPuzzle(geometry, random).Question.ToString();
        if (Kind is MazeKind && (int)Math.Sqrt(SeqLen) is var side && side * side == SeqLen && side >= 4)
            return new MazeGenerator(new MazeGenerationOptions(side, Math.Min(side, MazeGenerator.LongestPossiblePath(side)), seed)).Next().Question.ToDisplayString();
        return null;
    }

    /// <summary>What <c>GET /v1/model</c> says.</summary>
    public object Describe(ServeOptions options, ThreadPlan? plan)
    {
        var arch = Model.Config.Arch;
        return new Dictionary<string, object?>
        {
            ["kind"] = Kind.Name,
            ["seq_len"] = SeqLen,
            ["vocab_size"] = Model.VocabSize,
            ["puzzle_identifiers"] = Model.PuzzleIdentifiers,
            ["architecture"] = ReferenceNames.Of(arch.Name),
            ["hidden_size"] = arch.Model.HiddenSize,
            ["parameters"] = Model.ParameterCount,
            ["halt_max_steps"] = HaltMaxSteps,
            ["max_steps_limit"] = StepLimit(options),
            ["max_trajectories"] = options.MaxTrajectories,
            ["halt_threshold_default"] = SolveOptions.DefaultHaltThreshold,
            ["weights"] = Path.GetFileName(Model.WeightsFile),
            ["checkpoint"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(Checkpoint)),
            ["trained_on"] = Model.Config.DataPaths.Select(p => Path.GetFileName(Path.TrimEndingDirectorySeparator(p))).ToList(),
            ["sudoku_size"] = Kind is SudokuKind ? SudokuGeometry.ForCellCount(SeqLen)?.Size : null,
            ["maze_size"] = Kind is MazeKind ? (int)Math.Sqrt(SeqLen) : null,
            ["intra_op_threads"] = plan is null ? null : new Dictionary<string, int> { ["max"] = plan.Max, ["from_width"] = plan.Crossover },
        };
    }

    public void Dispose() => Model.Dispose();
}
