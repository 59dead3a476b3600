using TorchSharp;
using Trm.Model;
using Trm.Training;

namespace Trm.Tests.Training;

public class MemoryTests
{
    [Fact]
    public void ManyTrainingStepsDoNotGrowTheNumberOfLiveTensors()
    {
        var config = TinyModels.Config() with { HaltExplorationProb = 0.5 };
        var model = new ActLossHead(config);
        var optimizer = new AdamAtan2(model.parameters(), lr: 1e-3);
        var sparse = new SignSgdSparse(model.Model.Inner.PuzzleEmbedding!, lr: 1e-2, weightDecay: 0.1);
        using var ema = new ExponentialMovingAverage(model);
        using var step = new TrainingStep(model, optimizer, sparse, TinyModels.BatchSize, ema);
        var batch = TinyModels.Batch(config);

        for (int i = 0; i < 3; i++) step.Run(batch);   // gradients and carry exist from here on
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 60; i++) step.Run(batch);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(before, after);
    }

    [Fact]
    public void TrainingStepsLowerTheLossOnAFixedBatch()
    {
        var config = TinyModels.Config();
        var model = new ActLossHead(config);
        var optimizer = new AdamAtan2(model.parameters(), lr: 3e-3, weightDecay: 0);
        using var step = new TrainingStep(model, optimizer, new SignSgdSparse(model.Model.Inner.PuzzleEmbedding!, 1e-2, 0), TinyModels.BatchSize);
        var random = TinyModels.Batch(config);
        var batch = random with { Labels = random.Inputs.to(TorchSharp.torch.ScalarType.Int64) };   // learn to copy

        var first = step.Run(batch).Metrics.LmLoss;
        double last = first;
        for (int i = 0; i < 60; i++) last = step.Run(batch).Metrics.LmLoss;

        Assert.True(last < 0.5 * first, $"lm_loss went from {first} to {last}");
    }
}
