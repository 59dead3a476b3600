using Trm.Checkpoints;
using Trm.Evaluation;
using Trm.Inference;
using Trm.IO;
using Trm.Model;
using Trm.Training;
using Trm.Solving;

namespace Trm.Tests.Training;

/// <summary>
/// Every architecture goes the whole way: it learns <see cref="TinyTask"/>, a stopped run resumes to the uninterrupted
/// run's weights bit for bit, and its checkpoint evaluates to the training's metrics, solves, and survives a safetensors
/// round trip unchanged.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class ArchitectureTrainingTests
{
    public static TheoryData<Architecture> Architectures => new(Enum.GetValues<Architecture>());

    [Theory]
    [MemberData(nameof(Architectures))]
    public void LearnsResumesEvaluatesSolvesAndConverts(Architecture architecture)
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var config = TinyTask.Config(data, dir.File("whole"), epochs: 48, evalInterval: 48, architecture: architecture);
        Assert.Equal(architecture, config.Arch.Name);

        var whole = new RecordingObserver();
        using (var trainer = new Trainer(config, dir.File("whole"))) trainer.Run(whole);
        double LmLoss(IEnumerable<StepReport> steps) => steps.Average(s => s.Metrics.LmLoss);
        double early = LmLoss(whole.Steps.Take(20)), late = LmLoss(whole.Steps.TakeLast(20));
        Assert.True(late < early / 2, $"{architecture}: lm_loss {early:F3} -> {late:F3}");
        var (step, sets) = Assert.Single(whole.Evaluations);
        Assert.True(sets[0].TokenAccuracy > 0.6, $"{architecture}: token accuracy {sets[0].TokenAccuracy:P1} (chance 25 %)");

        // Stopped mid-run with slots carried (the carry holds this architecture's latents), then resumed.
        var parted = config with { CheckpointPath = dir.File("parted") };
        using (var cancel = new CancellationTokenSource())
        using (var trainer = new Trainer(parted, dir.File("parted")))
            trainer.Run(new RecordingObserver(cancel, cancelAfterStep: trainer.TotalSteps / 2 + 3), cancel.Token);
        using (var trainer = new Trainer(parted, dir.File("parted"), resumeFrom: dir.File("parted/interrupted")))
            trainer.Run(new RecordingObserver());
        foreach (var file in new[] { CheckpointFiles.Weights, CheckpointFiles.EmaWeights, CheckpointFiles.Optimizer, CheckpointFiles.Carry })
        {
            var expected = TorchCheckpointReader.ReadStateDict(Path.Combine(dir.File("whole"), $"step_{step}", file));
            var actual = TorchCheckpointReader.ReadStateDict(Path.Combine(dir.File("parted"), $"step_{step}", file));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, tensor) in expected) TensorAssert.Identical(tensor, actual[key]);
        }

        // The checkpoint evaluates to what training reported (EMA weights, as training evaluates).
        var checkpoint = dir.File($"whole/step_{step}");
        var (report, _, saved) = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, Ema: true));
        Assert.Equal(architecture, saved.Arch.Name);
        Assert.Equal(sets, report.Sets);

        // Solving with fixed steps gives the evaluation's exact accuracy.
        var (inputs, labels) = TinyTask.TestExamples(data);
        using (var model = TrmModel.Load(checkpoint, ema: true))
        {
            var answers = model.Solve(inputs, new SolveOptions(Adaptive: false));
            Assert.Equal(sets[0].ExactAccuracy, answers.Zip(labels).Count(p => p.First.Answer.SequenceEqual(p.Second)) / (double)inputs.Count, 12);
        }

        // safetensors (with the config in its metadata) and back: the same tensors, bit for bit, and still this architecture.
        var safetensors = dir.File("model.safetensors");
        CheckpointConversion.Run(new ConversionRequest(checkpoint, safetensors, Ema: true));
        CheckpointConversion.Run(new ConversionRequest(safetensors, dir.File("back.pt")));
        var original = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, CheckpointFiles.EmaWeights));
        var back = TorchCheckpointReader.ReadStateDict(dir.File("back.pt"));
        Assert.Equal(original.Keys.Order(), back.Keys.Order());
        foreach (var (key, tensor) in original) TensorAssert.Identical(tensor, back[key]);
        var (fromSafetensors, _, convertedConfig) = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, Weights: safetensors));
        Assert.Equal(architecture, convertedConfig.Arch.Name);
        Assert.Equal(sets, fromSafetensors.Sets);
    }
}
