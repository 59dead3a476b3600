using TorchSharp;
using Trm.IO;
using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Verification;

/// <summary>
/// Replays a reference fixture with our model and compares every array it holds: the evaluation
/// steps (eval mode, fixed halt_max_steps) and two training steps (forward, backward of
/// loss / batch_size, SignSGD on puzzle rows, then the weight optimizer), carry kept between steps.
/// Tolerances are the fixture README's: 1e-4 relative for outputs, losses and latents, 1e-3 for
/// gradients and updated weights, identical halting, steps, predictions and counts.
/// </summary>
public static class ReferenceVerifier
{
    public const double OutputTolerance = 1e-4;
    public const double GradientTolerance = 1e-3;
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
            var reference = fixture.Vectors[key];
            Comparison? comparison = name switch
            {
                "logits" => Comparison.Relative(key, result.Outputs.Logits, reference, OutputTolerance),
                "q_halt_logits" => Comparison.Relative(key, result.Outputs.QHaltLogits, reference, OutputTolerance),
                "q_continue_logits" => Comparison.Relative(key, result.Outputs.QContinueLogits, reference, OutputTolerance),
                "loss" => Comparison.Relative(key, result.Loss, reference, OutputTolerance),
                "z_H" => Comparison.Relative(key, result.Carry.Inner.ZH, reference, OutputTolerance),
                "preds" => Comparison.Identical(key, result.Predictions, reference),
                "halted" => Comparison.Identical(key, result.Carry.Halted, reference),
                "steps" => Comparison.Identical(key, result.Carry.Steps, reference),
                "grad.puzzle_emb.local_weights" => CompareGradient(key, model.Model.Inner.PuzzleEmbedding?.LastRows?.Rows, reference),
                _ when name.StartsWith("grad.", StringComparison.Ordinal) =>
                    CompareGradient(key, parameters.GetValueOrDefault(name["grad.".Length..]), reference),
                _ when name.StartsWith("metric.", StringComparison.Ordinal) => CompareMetric(key, metrics.GetValueOrDefault(name["metric.".Length..]), reference),
                _ when name.StartsWith("after.", StringComparison.Ordinal) => null,   // compared after the optimizer step
                _ => new Comparison($"{key} (not produced by this implementation)", double.PositiveInfinity, 0, false),
            };
            if (comparison is not null) add(comparison);
        }
    }

    static Comparison CompareGradient(string key, Tensor? owner, Tensor reference) => owner?.grad is { } grad
        ? Comparison.Relative(key, grad, reference, GradientTolerance)
        : new Comparison($"{key} (no gradient)", double.PositiveInfinity, GradientTolerance, false);

    static Comparison CompareMetric(string key, Tensor? ours, Tensor reference)
    {
        if (ours is null) return new Comparison($"{key} (metric not produced)", double.PositiveInfinity, 0, false);
        var metric = key[(key.LastIndexOf('.') + 1)..];
        return CountMetrics.Contains(metric)
            ? Comparison.Identical(key, ours, reference)
            : Comparison.Relative(key, ours, reference, OutputTolerance);
    }

    static void CompareWeights(ReferenceFixture fixture, string prefix, ActLossHead model, Action<Comparison> add)
    {
        var state = model.state_dict();
        foreach (var key in fixture.Vectors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order())
        {
            var name = key[prefix.Length..];
            add(state.TryGetValue(name, out var ours)
                ? Comparison.Relative(key, ours, fixture.Vectors[key], GradientTolerance)
                : new Comparison($"{key} (no such weight)", double.PositiveInfinity, GradientTolerance, false));
        }
    }
}
