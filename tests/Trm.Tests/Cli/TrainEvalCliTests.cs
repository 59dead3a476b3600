using Trm.Tests.Training;

namespace Trm.Tests.Cli;

/// <summary><c>trm train</c> and <c>trm eval</c> run as a user would, on <see cref="TinyTask"/>.</summary>
[Collection(nameof(SequentialTraining))]
public class TrainEvalCliTests
{
    static string WriteConfig(TempDirectory dir)
    {
        var data = TinyTask.Build(dir.File("data"));
        var path = dir.File("tiny.yaml");
        File.WriteAllText(path, Trm.Configuration.ConfigLoader.ToYaml(TinyTask.Config(data, dir.File("run"), epochs: 8, evalInterval: 8)));
        return path;
    }

    [Fact]
    public void TrainThenEvalReportTheSameAccuracy()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir);
        var (exit, stdout, stderr) = TrmProcess.Run("train", "--config", config, "ema=false");
        Assert.True(exit == 0, stderr);
        Assert.Contains("step 50/50", stdout);
        var trained = stdout.Split('\n').Single(l => l.StartsWith("held-out exact accuracy (all):"));
        Assert.Contains($"checkpoint: {dir.File("run/step_50")}", stdout);

        (exit, stdout, stderr) = TrmProcess.Run("eval", "--checkpoint", dir.File("run/step_50"));
        Assert.True(exit == 0, stderr);
        var row = stdout.Split('\n').Single(l => l.TrimStart().StartsWith("all "));
        var percent = trained.Split(": ")[1].Split(' ')[0];
        Assert.Contains(percent, row);
    }

    [Fact]
    public void BadConfigurationStopsBeforeTraining()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir);

        var (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "arch.L_cycle=3");
        Assert.Equal(2, exit);
        Assert.Contains("unknown key 'arch.L_cycle' (did you mean 'arch.L_cycles'?)", stderr);

        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "arch.name=hrm");
        Assert.Equal(2, exit);
        Assert.Contains("arch.puzzle_emb_len is not a field of hrm (recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1); its fields are ", stderr);

        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "arch.name=grm");
        Assert.Equal(2, exit);
        Assert.Contains("arch.name must be one of the known architectures: trm (", stderr);

        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "data_paths=[/no/such/data]");
        Assert.Equal(2, exit);
        Assert.Contains("data_paths: /no/such/data not found", stderr);
        Assert.False(Directory.Exists(dir.File("run")));

        // A batch larger than the epochs hold once trained 0 steps, then crashed in the evaluation, leaving a run directory.
        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "global_batch_size=100000");
        Assert.Equal(2, exit);
        Assert.Contains("error: global_batch_size 100000 leaves no training step", stderr);
        Assert.False(Directory.Exists(dir.File("run")));

        // So did a configuration whose model cannot fit in memory, at its allocation: refused by its declared limit, and within
        // the limit by the memory estimate of the whole run (here 1e11 values with their gradients and optimizer state).
        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "arch.hidden_size=1000000");
        Assert.Equal(2, exit);
        Assert.Contains("arch.hidden_size must be an integer from 1 to 65536 (is 1000000)", stderr);
        (exit, _, stderr) = TrmProcess.Run("train", "--config", config, "arch.hidden_size=65536");
        Assert.Equal(2, exit);
        Assert.Contains("training needs about", stderr);
        Assert.Contains("the model alone does not fit (", stderr);
        Assert.Contains("hidden_size 65536", stderr);
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void BFloat16OnAProcessorWithoutItStopsBeforeAnythingIsWritten()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir);
        var (exit, stdout, stderr) = TrmProcess.Run("train", "--config", config, "arch.forward_dtype=bfloat16", "data_paths=[/no/such/data]");

        Assert.Equal(2, exit);
        Assert.Contains($"processor: {ProcessorInfo.Current.Describe()}", stdout);
        // Without bfloat16 matrix instructions the dtype is refused first; with them the run goes on to the data check.
        if (ProcessorInfo.Current.HasBFloat16Matrix) Assert.Contains("data_paths: /no/such/data not found", stderr);
        else Assert.Contains("arch.forward_dtype is bfloat16, but this processor has no bfloat16 matrix instructions", stderr);
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void EvalRefusesAnArchitectureTheCheckpointWasNotTrainedWith()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir);
        Assert.Equal(0, TrmProcess.Run("train", "--config", config).ExitCode);

        var (exit, _, stderr) = TrmProcess.Run("eval", "--checkpoint", dir.File("run/step_50"), "arch.L_cycles=4");
        Assert.Equal(2, exit);
        Assert.Contains("arch.L_cycles is 1 in the checkpoint, 4 here", stderr);
        Assert.Contains("--force", stderr);

        (exit, _, stderr) = TrmProcess.Run("eval", "--checkpoint", dir.File("run/step_50"), "arch.L_cycles=4", "--force");
        Assert.True(exit == 0, stderr);
    }
}
