using System.Diagnostics;
using Trm.Configuration;
using Trm.Tests.Cli;
using Trm.Tests.Training;
using Trm.Training;

namespace Trm.Tests.Limits;

/// <summary>A run directory has one owner (<see cref="RunLock"/>): a second holder is refused while the first lives, and a process
/// killed with SIGKILL leaves nothing stuck, because the kernel drops its lock.</summary>
public class RunLockTests
{
    [Fact]
    public void ASecondHandleIsRefusedUntilTheFirstIsReleased()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("run"));
        Assert.Null(RunLock.TakeIfLocked(dir.File("run")));   // never locked: nothing written
        Assert.False(File.Exists(Path.Combine(dir.File("run"), RunLock.FileName)));

        var first = RunLock.Take(dir.File("run"));
        var error = Assert.Throws<TrmException>(() => RunLock.Take(dir.File("run")));
        Assert.Contains("is in use by another trm train", error.Message);
        Assert.Throws<TrmException>(() => RunLock.TakeIfLocked(dir.File("run")));
        first.Dispose();
        using var again = RunLock.TakeIfLocked(dir.File("run"));
        Assert.NotNull(again);
    }

    [Fact]
    public void ASecondTrainIntoTheSameDirectoryIsRefusedWhileTheFirstRunsAndAKilledRunLeavesItFree()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var config = dir.File("tiny.yaml");
        File.WriteAllText(config, ConfigLoader.ToYaml(TinyTask.Config(data, dir.File("run"), epochs: 100_000, evalInterval: 100_000) with { Threads = 1 }));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "trm.dll"), "train", "--config", config]) start.ArgumentList.Add(a);
        using var first = Process.Start(start)!;
        _ = first.StandardError.ReadToEndAsync();
        try
        {
            for (var line = first.StandardOutput.ReadLine(); line is not null && !line.StartsWith("step "); line = first.StandardOutput.ReadLine()) { }
            Assert.False(first.HasExited, "the first run ended before training");

            // While it trains: a second run, fresh or resuming, is refused with one line and leaves the directory alone.
            var (exit, _, stderr) = TrmProcess.Run("train", "--config", config);
            Assert.Equal(2, exit);
            Assert.Equal($"error: {dir.File("run")} is in use by another trm train", stderr.Trim().Split(" (it holds")[0]);
            Assert.Single(stderr.Trim().Split('\n'));
            (exit, _, stderr) = TrmProcess.Run("train", "--resume", dir.File("run"));
            Assert.Equal(2, exit);
            Assert.Contains("is in use by another trm train", stderr);
        }
        finally
        {
            first.Kill();   // SIGKILL: no chance to release anything itself
            first.WaitForExit();
        }
        using var free = RunLock.Take(dir.File("run"));   // the kernel dropped the killed run's lock
    }
}
