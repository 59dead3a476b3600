using TorchSharp;
using Trm.Configuration;
using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>The optimizer of the network's weights: the paper's Adam-atan2, or PyTorch's AdamW (the reference's other choice).</summary>
public enum WeightOptimizerKind { AdamAtan2, AdamW }

/// <summary>
/// How a model learns, apart from its data: the weight optimizer and its settings (learning rates are the peaks; a
/// schedule may set them per step), SignSGD's for the puzzle embeddings, whether only the embeddings learn
/// (<c>freeze_weights</c>), the EMA rate (null: no EMA), the loss divisor (the global batch) and the exploration seed.
/// </summary>
public sealed record TrainingSettings(WeightOptimizerKind Optimizer, double Lr, double Beta1, double Beta2, double WeightDecay,
    double PuzzleEmbLr, double PuzzleEmbWeightDecay, bool FreezeWeights, double? EmaRate, int GlobalBatchSize, int Seed)
{
    public static TrainingSettings From(TrainConfig config) => new(WeightOptimizerKind.AdamAtan2, config.Lr, config.Beta1, config.Beta2,
        config.WeightDecay, config.PuzzleEmbLr, config.PuzzleEmbWeightDecay, config.FreezeWeights, config.Ema ? config.EmaRate : null,
        config.GlobalBatchSize, config.Seed);
}

/// <summary>
/// A model with everything that trains it, built in one place for the trainer, the benchmark and the reference
/// verifier: the exploration generator, SignSGD on the puzzle-embedding rows, the weight optimizer (none with
/// <c>freeze_weights</c>, where only the embeddings learn), EMA, and the <see cref="TrainingStep"/> that runs them; in a
/// data-parallel job also the gradient exchange and this rank's slice of the exploration draws.
/// Owns and frees all of them, the model included (not the job).
/// </summary>
public sealed class TrainingSetup : IDisposable
{
    public ActLossHead Model { get; }
    public Generator ExplorationGenerator { get; }
    public SignSgdSparse? PuzzleOptimizer { get; }
    public IWeightOptimizer? WeightOptimizer { get; }
    public ExponentialMovingAverage? Ema { get; }
    public TrainingStep Step { get; }
    /// <summary>The weight-gradient all-reduce of a data-parallel job; null in one process.</summary>
    public GradientExchange? Exchange { get; }

    /// <param name="model">On <paramref name="device"/>, with its initial weights.</param>
    /// <param name="group">The data-parallel job this process trains in; null: one process.</param>
    public TrainingSetup(ActLossHead model, TrainingSettings settings, Device device, ICollectives? group = null)
    {
        Model = model;
        ExplorationGenerator = new Generator((ulong)settings.Seed, device);
        model.Model.Generator = ExplorationGenerator;
        group ??= SingleProcess.Instance;
        model.Model.BatchShard = (group.Rank, group.WorldSize);

        var embedding = model.Model.Inner.PuzzleEmbedding;
        if (embedding is not null) PuzzleOptimizer = new SignSgdSparse(embedding, settings.PuzzleEmbLr, settings.PuzzleEmbWeightDecay, group);
        if (settings.FreezeWeights)
        {
            if (embedding is null) throw new TrmException("freeze_weights trains only the puzzle embeddings, but arch.puzzle_emb_ndim is 0: there would be nothing to train.");
            foreach (var p in model.parameters()) p.requires_grad = false;
        }
        else
        {
            WeightOptimizer = settings.Optimizer switch
            {
                WeightOptimizerKind.AdamW => new AdamW(model.parameters(), settings.Lr, settings.Beta1, settings.Beta2, settings.WeightDecay),
                _ => new AdamAtan2(model.parameters(), settings.Lr, settings.Beta1, settings.Beta2, settings.WeightDecay),
            };
        }
        Ema = settings.EmaRate is { } rate ? new ExponentialMovingAverage(model, rate) : null;
        if (group.IsDistributed() && WeightOptimizer is not null) Exchange = new GradientExchange(group, [.. model.parameters()]);
        Step = new TrainingStep(model, WeightOptimizer, PuzzleOptimizer, settings.GlobalBatchSize, Ema, Exchange);
    }

    public void Dispose()
    {
        Step.Dispose();
        Ema?.Dispose();
        WeightOptimizer?.Dispose();
        ExplorationGenerator.Dispose();
        Model.Dispose();
    }
}
