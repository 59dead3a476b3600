using Trm.Evaluation;
using Trm.IO;
using Trm.Training;
using Trm.Checkpoints;

namespace Trm.Tests.Training;

[CollectionDefinition(nameof(SequentialTraining), DisableParallelization = true)]
public sealed class SequentialTraining;

/// <summary>Whole training runs on <see cref="TinyTask"/>. Not run beside other tests: initial weights come from torch's global seed.</summary>
[Collection(nameof(SequentialTraining))]
public class TrainerTests
{
    [Fact]
    public void LossFallsAndAccuracyRisesFarAboveChance()
    {
        using var dir = new TempDirectory();
        var config = TinyTask.Config(TinyTask.Build(dir.File("data")), dir.File("run"), epochs: 64, evalInterval: 64);
        var observer = new RecordingObserver();
        using var trainer = new Trainer(config, dir.File("run"));
        var final = trainer.Run(observer);

        Assert.Equal(trainer.TotalSteps, observer.Steps.Count);
        Assert.True(observer.Steps.Count >= 300, $"only {observer.Steps.Count} steps");
        double LmLoss(IEnumerable<StepReport> steps) => steps.Average(s => s.Metrics.LmLoss);
        double early = LmLoss(observer.Steps.Take(20)), late = LmLoss(observer.Steps.TakeLast(20));
        Assert.True(late < early / 3, $"lm_loss {early:F3} -> {late:F3}");
        var test = Assert.Single(final);
        Assert.Equal(100, test.Count);
        Assert.True(test.TokenAccuracy > 0.9, $"token accuracy {test.TokenAccuracy:P1} (chance 25 %)");
        Assert.True(test.ExactAccuracy > 0.5, $"exact accuracy {test.ExactAccuracy:P1} (chance 0.002 %)");
        Assert.True(File.Exists(dir.File("run/metrics.jsonl")));
        Assert.NotEmpty(Directory.GetFiles(dir.File("run"), "events.out.tfevents.*"));
    }

    [Fact]
    public void AStoppedAndResumedRunEndsWithTheSameWeights()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));

        var whole = TinyTask.Config(data, dir.File("whole"));
        using (var trainer = new Trainer(whole, dir.File("whole"))) trainer.Run(new RecordingObserver());

        // Stop in the middle of the second iteration (mid-epoch, with slots still carried), then resume.
        var parted = whole with { CheckpointPath = dir.File("parted") };
        using var cancel = new CancellationTokenSource();
        using (var trainer = new Trainer(parted, dir.File("parted")))
            trainer.Run(new RecordingObserver(cancel, cancelAfterStep: trainer.TotalSteps / 3 + 7), cancel.Token);
        Assert.True(Directory.Exists(dir.File("parted/interrupted")));
        var resumed = new RecordingObserver();
        using (var trainer = new Trainer(parted, dir.File("parted"), resumeFrom: dir.File("parted/interrupted")))
            trainer.Run(resumed);
        Assert.Equal(whole.Epochs * 200 / 32 - (whole.Epochs * 200 / 32) / 3 - 7, resumed.Steps.Count);

        var finalStep = $"step_{whole.Epochs * 200 / 32}";
        foreach (var file in new[] { CheckpointFiles.Weights, CheckpointFiles.EmaWeights, CheckpointFiles.Optimizer, CheckpointFiles.Carry })
        {
            var expected = TorchCheckpointReader.ReadStateDict(Path.Combine(dir.File("whole"), finalStep, file));
            var actual = TorchCheckpointReader.ReadStateDict(Path.Combine(dir.File("parted"), finalStep, file));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, tensor) in expected) TensorAssert.Identical(tensor, actual[key]);
        }
    }

    [Fact]
    public void ASavedCheckpointEvaluatesToTheMetricsOfTraining()
    {
        using var dir = new TempDirectory();
        var config = TinyTask.Config(TinyTask.Build(dir.File("data")), dir.File("run"), epochs: 32, evalInterval: 32)
            with { EvalSaveOutputs = ["inputs", "labels", "preds", "q_halt_logits"] };
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(config, dir.File("run"))) trainer.Run(observer);

        var (step, trained) = Assert.Single(observer.Evaluations);
        var checkpoint = Assert.Single(observer.Checkpoints);
        Assert.EndsWith($"step_{step}", checkpoint);
        var (report, weights, _) = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, Ema: true));
        Assert.EndsWith(CheckpointFiles.EmaWeights, weights);
        Assert.Equal(trained, report.Sets);

        // The reference-format file holds the same (EMA) weights under _orig_mod.-prefixed names.
        var reference = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, $"step_{step}"));
        var ours = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, CheckpointFiles.EmaWeights));
        foreach (var (key, tensor) in ours) TensorAssert.Identical(tensor, reference[key]);
        Assert.Contains("hidden_size: 32", File.ReadAllText(Path.Combine(checkpoint, CheckpointFiles.Config)));

        // eval_save_outputs: the saved predictions reproduce the reported exact accuracy.
        var outputs = TorchCheckpointReader.ReadStateDict(dir.File($"run/step_{step}_all_preds.0"));
        Assert.Equal(["inputs", "labels", "preds", "q_halt_logits"], outputs.Keys.Order());
        Assert.Equal([100L, 8L], outputs["preds"].shape);
        Assert.Equal([100L], outputs["q_halt_logits"].shape);
        var exact = outputs["preds"].eq(outputs["labels"]).all(1).to(TorchSharp.torch.ScalarType.Float64).mean().item<double>();
        Assert.Equal(trained[0].ExactAccuracy, exact, 12);
    }
}
