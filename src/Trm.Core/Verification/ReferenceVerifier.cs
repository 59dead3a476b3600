using TorchSharp;
using Trm.IO;
using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Verification;

/// <summary>
/// Replays a reference fixture with the model of its manifest's architecture and compares every array it holds: the
/// evaluation steps (eval mode) and two training steps (forward, backward of loss / batch_size, SignSGD on puzzle rows,
/// then the weight optimizer), carry kept between steps. The rule is the fixture README's: a float array passes within
/// max(base tolerance, 4 x the reference's own spread), base 1e-4 relative for outputs, losses and latents and 1e-3 for
/// gradients and updated weights; an integer or bool array (halting, steps, predictions, counts) when at most 2 x the
/// reference's own flips of its elements differ. A manifest without spreads is judged by the base tolerances alone.
/// </summary>
public static class ReferenceVerifier
{
    public const double OutputTolerance = 1e-4;
    public const double GradientTolerance = 1e-3;
    const double SpreadFactor = 4, FlipFactor = 2;
    const int TrainSteps = 2;
    static readonly HashSet<string> CountMetrics = ["count", "exact_accuracy", "q_halt_accuracy", "steps"];

    public static IReadOnlyList<Comparison> Run(ReferenceFixture fixture, Action<Comparison>? report = null, Device? device = null)
    {
        device ??= CPU;
        var results = new List<Comparison>();
        void Add(Comparison c) { results.Add(c); report?.Invoke(c); }

        using var scope = NewDisposeScope();
        var checkpoint = TorchCheckpointReader.ReadStateDict(fixture.CheckpointPath);
        if (File.Exists(fixture.CompiledCheckpointPath))
        {
            var compiled = TorchCheckpointReader.ReadStateDict(fixture.CompiledCheckpointPath);
            foreach (var (key, value) in checkpoint)
                Add(compiled.TryGetValue(key, out var other)
                    ? Comparison.Relative($"checkpoint_compiled.pt {key}", other, value, 0)
                    : new Comparison($"checkpoint_compiled.pt {key} (missing)", double.PositiveInfinity, 0, false));
        }
        var batch = fixture.Batch().To(device);

        ReplayEvaluation(fixture, checkpoint, batch, device, Add);
        ReplayTraining(fixture, checkpoint, batch, device, Add);
        return results;
    }

    static ActLossHead BuildModel(ReferenceFixture fixture, IReadOnlyDictionary<string, Tensor> checkpoint, Device device)
    {
        var model = new ActLossHead(fixture.Manifest.Config, fixture.Manifest.Loss);
        StateDictLoader.Load(model, checkpoint, fixture.CheckpointPath);
        model.to(device);
        return model;
    }

    static void ReplayEvaluation(ReferenceFixture fixture, IReadOnlyDictionary<string, Tensor> checkpoint, TrmBatch batch, Device device, Action<Comparison> add)
    {
        var model = BuildModel(fixture, checkpoint, device);
        model.eval();
        using var noGrad = no_grad();
        var carry = model.InitialCarry(batch);
        for (int step = 1; step <= fixture.Manifest.EvalSteps; step++)
        {
            var result = model.Forward(carry, batch);
            CompareStep(fixture, $"eval.step{step}.", result, model, add);
            carry = result.Carry;
        }
    }

    static void ReplayTraining(ReferenceFixture fixture, IReadOnlyDictionary<string, Tensor> checkpoint, TrmBatch batch, Device device, Action<Comparison> add)
    {
        var (settings, embeddings) = (fixture.Manifest.Optimizer, fixture.Manifest.PuzzleEmbOptimizer);
        var kind = settings.Kind switch
        {
            "AdamATan2" => WeightOptimizerKind.AdamAtan2,
            "AdamW" => WeightOptimizerKind.AdamW,
            _ => throw new TrmException($"{fixture.Directory}/manifest.json: optimizer.kind '{settings.Kind}' is not supported (AdamATan2, AdamW)."),
        };
        using var setup = new TrainingSetup(BuildModel(fixture, checkpoint, device), new TrainingSettings(kind, settings.Lr, settings.Beta1, settings.Beta2,
            settings.WeightDecay, embeddings.Lr, embeddings.WeightDecay, FreezeWeights: false, EmaRate: null, (int)batch.Size, Seed: 0), device);
        for (int step = 1; step <= TrainSteps; step++)
        {
            setup.Step.Run(batch, result => CompareStep(fixture, $"train.step{step}.", result, setup.Model, add));
            CompareWeights(fixture, $"train.step{step}.after.", setup.Model, add);
        }
    }

    /// <summary>Compares every array under <paramref name="prefix"/> except the updated weights.</summary>
    static void CompareStep(ReferenceFixture fixture, string prefix, StepResult result, ActLossHead model, Action<Comparison> add)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var metrics = ActMetrics.Of(result.Metrics).Named().ToDictionary(m => m.Name, m => tensor(m.Value));
        foreach (var key in fixture.Vectors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order())
        {
            var name = key[prefix.Length..];
            Comparison? comparison = name switch
            {
                "logits" => Relative(fixture, key, result.Outputs.Logits, OutputTolerance),
                "q_halt_logits" => Relative(fixture, key, result.Outputs.QHaltLogits, OutputTolerance),
                "q_continue_logits" => Relative(fixture, key, result.Outputs.QContinueLogits, OutputTolerance),
                "loss" => Relative(fixture, key, result.Loss, OutputTolerance),
                "z_H" => Relative(fixture, key, result.Carry.Inner.Answer, OutputTolerance),   // single z: its z_L
                "preds" => Identical(fixture, key, result.Predictions),
                "halted" => Identical(fixture, key, result.Carry.Halted),
                "steps" => Identical(fixture, key, result.Carry.Steps),
                "grad.puzzle_emb.local_weights" => CompareGradient(fixture, key, model.Model.Inner.PuzzleEmbedding?.LastRows?.Rows),
                _ when name.StartsWith("grad.", StringComparison.Ordinal) =>
                    CompareGradient(fixture, key, parameters.GetValueOrDefault(name["grad.".Length..])),
                _ when name.StartsWith("metric.", StringComparison.Ordinal) => CompareMetric(fixture, key, metrics.GetValueOrDefault(name["metric.".Length..])),
                _ when name.StartsWith("after.", StringComparison.Ordinal) => null,   // compared after the optimizer step
                _ => new Comparison($"{key} (not produced by this implementation)", double.PositiveInfinity, 0, false),
            };
            if (comparison is not null) add(comparison);
        }
    }

    /// <summary>A float array, within <see cref="Tolerance"/>.</summary>
    static Comparison Relative(ReferenceFixture fixture, string key, Tensor ours, double baseTolerance) =>
        Comparison.Relative(key, ours, fixture.Vectors[key], Tolerance(fixture, key, baseTolerance), Spread(fixture, key));

    /// <summary>The fixtures' rule for the float array <paramref name="key"/>: max(<paramref name="baseTolerance"/>, 4 x the reference's spread for it).</summary>
    public static double Tolerance(ReferenceFixture fixture, string key, double baseTolerance) =>
        Math.Max(baseTolerance, SpreadFactor * (Spread(fixture, key) ?? 0));

    static double? Spread(ReferenceFixture fixture, string key) => fixture.Manifest.ReferenceSpread?.TryGetValue(key, out var s) == true ? s : null;

    /// <summary>An integer or bool array: at most 2 x the reference's own flips of its elements may differ.</summary>
    static Comparison Identical(ReferenceFixture fixture, string key, Tensor ours)
    {
        long? flips = fixture.Manifest.ReferenceFlips?.TryGetValue(key, out var f) == true ? f : null;
        return Comparison.Identical(key, ours, fixture.Vectors[key], (long)(FlipFactor * (flips ?? 0)), flips);
    }

    static Comparison CompareGradient(ReferenceFixture fixture, string key, Tensor? owner) => owner?.grad is { } grad
        ? Relative(fixture, key, grad, GradientTolerance)
        : new Comparison($"{key} (no gradient)", double.PositiveInfinity, GradientTolerance, false);

    static Comparison CompareMetric(ReferenceFixture fixture, string key, Tensor? ours)
    {
        if (ours is null) return new Comparison($"{key} (metric not produced)", double.PositiveInfinity, 0, false);
        var metric = key[(key.LastIndexOf('.') + 1)..];
        return CountMetrics.Contains(metric) ? Identical(fixture, key, ours) : Relative(fixture, key, ours, OutputTolerance);
    }

    static void CompareWeights(ReferenceFixture fixture, string prefix, ActLossHead model, Action<Comparison> add)
    {
        var state = model.state_dict();
        foreach (var key in fixture.Vectors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order())
        {
            var name = key[prefix.Length..];
            add(state.TryGetValue(name, out var ours)
                ? Relative(fixture, key, ours, GradientTolerance)
                : new Comparison($"{key} (no such weight)", double.PositiveInfinity, GradientTolerance, false));
        }
    }
}
