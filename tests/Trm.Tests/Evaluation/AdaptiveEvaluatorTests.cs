using Trm.Evaluation;
using Trm.Inference;
using Trm.Tests.Training;
using Trm.Training;

namespace Trm.Tests.Evaluation;

[Collection(nameof(SequentialTraining))]
public class AdaptiveEvaluatorTests
{
    [Fact]
    public void FixedStepsThroughRecycledSlotsScoreAsTheReferenceEvaluationAndAdaptiveAgreesWithSolve()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(TinyTask.Config(data, dir.File("run"), epochs: 32, evalInterval: 32, ema: false), dir.File("run")))
            trainer.Run(observer);
        var checkpoint = dir.File($"run/step_{observer.Evaluations[0].Step}");

        // 7 slots for 100 examples: slots are recycled many times, and the last batch is partial.
        var reference = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, BatchSize: 7, OutputDirectory: dir.File("a"))).Report.Sets[0];
        var recycled = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, BatchSize: 7, OutputDirectory: dir.File("b"), MaxSteps: 3)).Report.Sets[0];
        Assert.Equal(100, recycled.Count);
        Assert.Equal(reference.Count, recycled.Count);
        Assert.Equal(reference.ExactAccuracy, recycled.ExactAccuracy, 12);
        Assert.Equal(reference.TokenAccuracy, recycled.TokenAccuracy, 6);
        Assert.Equal(3.0, recycled.MeanSteps, 12);
        Assert.Equal(reference.QHaltAccuracy, recycled.QHaltAccuracy, 12);
        Assert.True(double.IsNaN(recycled.LmLoss));

        var adaptive = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(checkpoint, BatchSize: 7, OutputDirectory: dir.File("c"), Adaptive: true)).Report.Sets[0];
        using var model = TrmModel.Load(checkpoint);
        var (inputs, labels) = TinyTask.TestExamples(data);
        var solutions = model.Solve(inputs);
        Assert.Equal(solutions.Average(s => s.StepsUsed), adaptive.MeanSteps, 12);
        Assert.Equal(solutions.Zip(labels).Count(p => p.First.Answer.SequenceEqual(p.Second)) / 100.0, adaptive.ExactAccuracy, 12);
        Assert.InRange(adaptive.MeanSteps, 1, 3);
    }
}
