using TorchSharp;
using Trm.Checkpoints;
using Trm.IO;
using Trm.Model;
using Trm.Training;

namespace Trm.Tests.Training;

/// <summary>
/// Loading weights and resuming free what they read once it is copied into the model, the optimizer and EMA: a
/// checkpoint's tensors can be gigabytes (the puzzle-embedding table and its moments), and a finalizer may free them
/// much later or never. Counted as this thread's live tensors.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class ResumeMemoryTests
{
    static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void LoadingInitialWeightsLeavesNoTensorAlive()
    {
        using var dir = new TempDirectory();
        using var trained = new ActLossHead(TinyModels.Config() with { NumPuzzleIdentifiers = 5 });
        TorchCheckpointWriter.Write(dir.File("step_100"), trained.state_dict(), TorchCheckpointReader.CompiledPrefix);
        using var fresh = new ActLossHead(TinyModels.Config() with { NumPuzzleIdentifiers = 3 });   // its table becomes the mean row

        long before = Live();
        InitialWeights.Load(fresh, dir.File("step_100"));
        Assert.Equal(before, Live());
    }

    [Fact]
    public void ResumingLeavesAliveOnlyWhatTheRunHolds()
    {
        using var dir = new TempDirectory();
        var config = TinyTask.Config(TinyTask.Build(dir.File("data")), dir.File("run"), epochs: 2, evalInterval: 2);
        using (var trainer = new Trainer(config, dir.File("run"))) trainer.Run(new RecordingObserver());
        var checkpoint = Assert.Single(Directory.GetDirectories(dir.File("run"), "step_*"));

        // A trainer that resumes holds what one that starts holds, and the carry; disposed, both leave the same behind.
        long LeftBehind(string? resumeFrom)
        {
            long before = Live();
            using (new Trainer(config, dir.File("again"), resumeFrom)) { }
            return Live() - before;
        }
        LeftBehind(null);   // what is built once per process
        Assert.Equal(LeftBehind(null), LeftBehind(checkpoint));

        // Saving a checkpoint leaves nothing alive either (the optimizer's step count, the generator's state). Without EMA,
        // which builds a model to hold the averaged weights.
        using var resumed = new Trainer(config with { Ema = false }, dir.File("again"), checkpoint);
        long beforeSave = Live();
        resumed.SaveCheckpoint(dir.File("again/saved"));
        Assert.Equal(beforeSave, Live());
        Assert.True(File.Exists(dir.File($"again/saved/{CheckpointFiles.Optimizer}")));
    }
}
