using System.Diagnostics;
using Trm.Configuration;
using Trm.Tests.Training;

namespace Trm.Tests.Cli;

/// <summary>
/// <c>trm train</c> stopped from outside, each after an event it printed (never after a time): killed with SIGKILL after its
/// first checkpoint, the run resumes from its run directory to the same bytes as an uninterrupted run; stopped with SIGTERM
/// during training, it saves <c>interrupted/</c> and exits 143.
/// </summary>
public class KillResumeCliTests
{
    [Fact]
    public void KilledOrTerminatedRunsResumeToTheUninterruptedResult()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var config = dir.File("tiny.yaml");
        File.WriteAllText(config, ConfigLoader.ToYaml(TinyTask.Config(data, dir.File("unused"), epochs: 12, evalInterval: 2) with { CheckpointEveryEval = false, Threads = 1 }));
        string Run(string name) => $"checkpoint_path={dir.File(name)}";

        var (exit, _, stderr) = TrmProcess.Run("train", "--config", config, Run("whole"));
        Assert.True(exit == 0, stderr);
        var final = Assert.Single(Directory.GetDirectories(dir.File("whole"), "step_*"));   // earlier evaluations' checkpoints were replaced

        // SIGKILL after the first checkpoint: whatever instant it lands, the run directory holds a complete checkpoint.
        Assert.Equal(137, Stop("killed", line => line.StartsWith("checkpoint:"), process => process.Kill()));
        (exit, _, stderr) = TrmProcess.Run("train", "--resume", dir.File("killed"));
        Assert.True(exit == 0, stderr);
        AssertSameCheckpoint(final, Path.Combine(dir.File("killed"), Path.GetFileName(final)));

        // SIGTERM while training: saved as interrupted/, exit 143, resumed to the same end.
        Assert.Equal(143, Stop("terminated", line => line.StartsWith("step "), process => Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit()));
        Assert.True(File.Exists(dir.File("terminated/interrupted/trainer_state.json")));
        (exit, _, stderr) = TrmProcess.Run("train", "--resume", dir.File("terminated"));
        Assert.True(exit == 0, stderr);
        Assert.False(Directory.Exists(dir.File("terminated/interrupted")));   // superseded by the final checkpoint
        AssertSameCheckpoint(final, Path.Combine(dir.File("terminated"), Path.GetFileName(final)));

        int Stop(string name, Func<string, bool> when, Action<Process> stop)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "trm.dll"), "train", "--config", config, Run(name)]) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            _ = process.StandardError.ReadToEndAsync();
            for (var line = process.StandardOutput.ReadLine(); line is not null; line = process.StandardOutput.ReadLine())
                if (when(line))
                {
                    stop(process);
                    break;
                }
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode;
        }
    }

    static void AssertSameCheckpoint(string expected, string actual)
    {
        foreach (var file in (string[])["model.pt", "ema.pt", "optimizer.pt", "carry.pt", "trainer_state.json"])
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs from the uninterrupted run's");
    }
}
