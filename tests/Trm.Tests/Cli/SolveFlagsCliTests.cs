using Trm.Tests.Inference;

namespace Trm.Tests.Cli;

/// <summary>Settings the library refuses by their names (MaxSteps, BatchSize, TaskId) are reported by each command's flags, before a model loads.</summary>
public class SolveFlagsCliTests
{
    [Fact]
    public void RefusedSettingsAreNamedByTheCommandsFlags()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.", "--max-steps", "0", "--halt-threshold", "1");
        Assert.Equal(2, exit);
        // Refused as the flags are parsed, each against its declared limit.
        Assert.Contains("--max-steps must be an integer from 1 to 1024 (is 0).", stderr);
        Assert.Contains("--halt-threshold must be a number above 0 and below 1 (is 1).", stderr);

        File.WriteAllText(dir.File("task.json"), TinyArc.Task(seed: 9));
        (exit, _, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", "/no/such/checkpoint", dir.File("task.json"), "--batch-size", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--batch-size must be an integer from 1 to 1048576 (is 0)", stderr);

        File.WriteAllText(dir.File("two_challenges.json"), "{\"a\": " + TinyArc.Task(seed: 1) + ", \"b\": " + TinyArc.Task(seed: 2) + "}");
        (exit, _, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", "/no/such/checkpoint", dir.File("two_challenges.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"error: --task-id is needed: {dir.File("two_challenges.json")} holds 2 tasks (a, b); choose one.", stderr);

        // trm eval's --batch-size 0 once meant "the run's", silently.
        (exit, _, stderr) = TrmProcess.Run("eval", "--checkpoint", "/no/such/checkpoint", "--batch-size", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--batch-size must be an integer from 1 to 1048576 (is 0)", stderr);
    }

    [Fact]
    public void OutputsThatCannotBeWrittenAreRefusedBeforeAModelLoads()
    {
        // Once found only after the solve, when --out was written.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("file"), "");
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.", "--out", dir.File("file/r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"error: --out {dir.File("file/r.json")}: {dir.File("file")} is a file, not a folder; choose another path.", stderr);

        (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.", "--render", dir.File("steps.bmp"));
        Assert.Equal(2, exit);
        Assert.Contains($"error: {dir.File("steps.bmp")}: cannot write a .bmp file here", stderr);

        File.WriteAllText(dir.File("task.json"), TinyArc.Task(seed: 9));
        (exit, _, stderr) = TrmProcess.Run("solve", "arc", "--checkpoint", "/no/such/checkpoint", dir.File("task.json"), "--record", "/proc/x/r.json");
        Assert.Equal(2, exit);
        Assert.Contains("error: --record /proc/x/r.json: cannot write in /proc (", stderr);
        Assert.Equal([dir.File("file"), dir.File("task.json")], Directory.GetFileSystemEntries(dir.Path).Order());   // no probe left
    }

    [Fact]
    public void APuzzleArgumentThatIsNeitherAPuzzleNorAFileIsNamed()
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", "puzles.txt");
        Assert.Equal(2, exit);
        Assert.Contains("error: the puzzle 'puzles.txt': a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has 10.", stderr);
    }
}
