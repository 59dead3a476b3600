using Trm.Checkpoints;
using Trm.Configuration;
using Trm.Model;
using Trm.Puzzles;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Inference;

/// <summary>
/// A trained TRM loaded once to solve many puzzles. Loads our checkpoint directories and the paper's
/// (<c>all_config.yaml</c> beside <c>step_N</c>), weights in PyTorch or safetensors format; the architecture comes
/// from the config, the vocabulary and puzzle count from the weights, the sequence length from the puzzles.
/// Where the trained length is known (our checkpoints, learned positions, mlp_t) the network is built at load and
/// the weights read are freed at once, so a large puzzle-embedding table is held once. Puzzles of a kind are solved
/// through <see cref="PuzzleSolving"/>; requests (token ids) directly here. One instance may be shared between threads:
/// its solves run one at a time (each uses every core libtorch is given).
/// </summary>
/// <example><code>
/// using var model = TrmModel.Load("checkpoints/sudoku4-1k-aug-7/trm-.../step_3500", ema: true);
/// var outcomes = PuzzleSolving.Solve(model, SudokuKind.Questions("puzzles.txt"));   // checked answers, records
/// var solutions = model.Solve([tokens1, tokens2]);   // token ids, e.g. digit + 1 for Sudoku
/// var fixedSteps = model.Solve([tokens1], new SolveOptions(MaxSteps: 16, Adaptive: false));
/// </code></example>
public sealed class TrmModel : IPuzzleModel, IDisposable
{
    Dictionary<string, Tensor>? weights;   // the loaded state dict, until the first network takes it
    readonly Device device;
    readonly Dictionary<int, ActLossHead> modelsBySeqLen = [];
    readonly Lock solving = new();   // one solve at a time: the networks, their train/eval mode and modelsBySeqLen are shared

    public TrainConfig Config { get; }
    public string WeightsFile { get; }
    public int VocabSize { get; }
    public int PuzzleIdentifiers { get; }
    /// <summary>The sequence length the model was trained on where the checkpoint tells (ours, learned positions, mlp_t); 0 when unknown.</summary>
    public int TrainedSeqLen { get; }

    TrmModel(TrainConfig config, string weightsFile, Dictionary<string, Tensor> weights, ModelLayout layout, Device device)
    {
        (Config, WeightsFile, this.weights, this.device) = (config, weightsFile, weights, device);
        (VocabSize, PuzzleIdentifiers, TrainedSeqLen) = (layout.VocabSize, layout.NumPuzzleIdentifiers, layout.SeqLen);
    }

    /// <param name="weights">A weights file (<c>.pt</c>, <c>step_N</c> or <c>.safetensors</c>) instead of the directory's own;
    /// <paramref name="ema"/>: use <c>ema.pt</c>.</param>
    public static TrmModel Load(string checkpoint, bool ema = false, string? weights = null, string device = "cpu")
    {
        var config = CheckpointFiles.ReadConfig(checkpoint);
        var file = CheckpointFiles.WeightsFile(checkpoint, weights, ema);
        var tensors = CheckpointModel.ReadWeights(file);
        TrmModel? model = null;
        try
        {
            var layout = CheckpointModel.LayoutOf(config.Arch, tensors, file, seqLen: CheckpointFiles.TrainedSeqLen(checkpoint));
            model = new TrmModel(config, file, tensors, layout, DeviceSelection.Parse(device));
            if (layout.SeqLen > 0) model.ModelFor(layout.SeqLen);
            return model;
        }
        catch
        {
            if (model is not null) model.Dispose();
            else foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
    }

    /// <summary>Refuses puzzles of a kind this model was not trained on, before anything runs: their length must be the trained one
    /// (where the checkpoint tells), their vocabulary the model's.</summary>
    public void RequireFits(PuzzleShape shape) => EngineSolving.RequireFits(shape, Sizes);

    public int HaltMaxSteps => Config.Arch.Model.HaltMaxSteps;

    EngineSolving.ModelSizes Sizes => new(TrainedSeqLen, VocabSize, PuzzleIdentifiers, HaltMaxSteps, WeightsFile);

    /// <summary>Refuses <paramref name="slots"/> runs in flight on puzzles of <paramref name="seqLen"/> tokens when their memory estimate
    /// (<see cref="MemoryEstimate"/>) exceeds the machine's, naming <paramref name="setting"/>; on a GPU, its own memory decides.</summary>
    public void RequireSlotsFit(int seqLen, long slots, string setting)
    {
        if (device.type == TorchSharp.DeviceType.CPU)
            new MemoryEstimate(Config.Arch.ModelFor(seqLen, VocabSize, PuzzleIdentifiers)).RequireInferenceFits(setting, slots, MemoryEstimate.MachineBytes);
    }

    /// <summary>
    /// Solves puzzles (token ids, all of one length) that use puzzle-embedding row 0, as Sudoku and maze models do.
    /// </summary>
    public IReadOnlyList<Solution> Solve(IReadOnlyList<int[]> puzzles, SolveOptions? options = null) =>
        Solve(puzzles.Select(p => new PuzzleRequest(p)).ToList(), options);

    /// <summary>
    /// Solves requests in batches of <see cref="SolveOptions.BatchSize"/> slots. With adaptive halting a request stops at
    /// the first step whose halting probability sigmoid(q_halt) exceeds <see cref="SolveOptions.HaltThreshold"/> (the Q head
    /// says it is done) and a waiting one takes its slot; otherwise, and at the latest, after <see cref="SolveOptions.MaxSteps"/>
    /// steps (default: the model's halt_max_steps). Answers come back in the order asked, each with every step's answer and
    /// halting confidence and why it stopped.
    /// </summary>
    public IReadOnlyList<Solution> Solve(IReadOnlyList<PuzzleRequest> puzzles, SolveOptions? options = null)
    {
        options = (options ?? new SolveOptions()).Checked();
        if (puzzles.Count == 0) return [];
        EngineSolving.RequireFits(puzzles, Sizes);
        RequireSlotsFit(puzzles[0].Tokens.Length, Math.Min(options.BatchSize, (long)puzzles.Count * options.Compute.Trajectories), nameof(SolveOptions.BatchSize));
        lock (solving)
        {
            using var engine = new ActStepEngine(ModelFor(puzzles[0].Tokens.Length).Model, device);
            return EngineSolving.Solve(engine, puzzles, options, Sizes);
        }
    }

    /// <summary>The network's trainable values (puzzle embeddings included), counted when the first network is built; 0 before.</summary>
    public long ParameterCount { get; private set; }

    /// <summary>
    /// Runs a live feed of requests (a server's queue) through this model's network by continuous batching
    /// (<see cref="SlotRecycler.Serve"/>) until the feed closes. Holds the model meanwhile: other solves wait until it returns.
    /// The caller checks each request's tokens (length <paramref name="seqLen"/>, the model's vocabulary and identifiers) before it enters the feed.
    /// On the CPU each step's intra-op threads follow its width: <paramref name="threads"/> at every width, or (0) a
    /// <see cref="ThreadPlan"/> measured first between one thread and libtorch's default; <paramref name="planned"/> hears it before the first request is taken.
    /// </summary>
    public void Serve(ISlotFeed feed, int slots, int seqLen, int threads = 0, Action<ThreadPlan>? planned = null)
    {
        EngineSolving.RequireSeqLen(seqLen, Sizes);
        lock (solving)
        {
            using var engine = new ActStepEngine(ModelFor(seqLen).Model, device);
            engine.Threads = threads > 0 ? ThreadPlan.Fixed(threads)
                : device.type == TorchSharp.DeviceType.CPU ? ThreadPlan.Measure(engine, seqLen, get_num_threads())
                : ThreadPlan.Fixed(get_num_threads());
            planned?.Invoke(engine.Threads);
            SlotRecycler.Serve(engine, feed, slots, seqLen);
        }
    }

    /// <summary>The network for one sequence length (rope and no-position models serve any length; others only the trained one).</summary>
    ActLossHead ModelFor(int seqLen)
    {
        if (modelsBySeqLen.TryGetValue(seqLen, out var cached)) return cached;
        var model = CheckpointModel.Load(Config.Arch, new ModelLayout(seqLen, VocabSize, PuzzleIdentifiers),
            weights ?? modelsBySeqLen.Values.First().state_dict(), WeightsFile, device);
        model.eval();
        // The first network holds the weights from now on; later lengths copy from it.
        if (weights is not null)
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
            weights = null;
        }
        if (ParameterCount == 0) ParameterCount = model.parameters().Sum(p => p.numel());
        return modelsBySeqLen[seqLen] = model;
    }

    public void Dispose()
    {
        lock (solving)
        {
            foreach (var model in modelsBySeqLen.Values) model.Dispose();
            if (weights is not null) foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }
}
