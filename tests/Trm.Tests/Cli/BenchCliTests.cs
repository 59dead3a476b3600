using Trm.Benchmarking;

namespace Trm.Tests.Cli;

/// <summary><c>trm bench</c> run as a user would.</summary>
public class BenchCliTests
{
    [Fact]
    public void AnUnknownPresetExitsTwoNamingTheValidOnes()
    {
        var (exit, _, stderr) = TrmProcess.Run("bench", "--preset", "nosuch");
        Assert.Equal(2, exit);
        Assert.Contains("no benchmark preset 'nosuch'", stderr);
        Assert.Contains("sudoku-att, sudoku-mlp, maze, arc, sudoku4-cpu, hrm-sudoku", stderr);
    }

    [Fact]
    public void AQuickBenchOfTheSmallPresetPrintsTheTableAndWritesTheReport()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bench.json");
        var (exit, stdout, stderr) = TrmProcess.Run("bench", "--preset", "sudoku4-cpu", "--quick", "--steps", "1", "--batch", "8", "--out", path);

        Assert.True(exit == 0, stderr);
        Assert.Contains("measuring sudoku4-cpu float32: training step", stdout);
        Assert.Contains("ceiling float32", stdout);
        Assert.Matches(@"sudoku4-cpu\s+float32\s+train step\s+8\s", stdout);
        var report = BenchmarkReport.Read(path);
        Assert.Equal(["sudoku4-cpu"], report.Presets.Select(p => p.Preset));
        Assert.Equal(1, report.Rows.Single(r => r.Measurement == "train step").Count);
        Assert.True(report.Settings.Quick);
    }
}
