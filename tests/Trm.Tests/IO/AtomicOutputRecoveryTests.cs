using Trm.IO;

namespace Trm.Tests.IO;

/// <summary>What a process killed in the middle of an atomic write leaves, and how <see cref="AtomicOutput.Recover"/> tidies it.</summary>
public class AtomicOutputRecoveryTests
{
    [Fact]
    public void ReplacingADirectoryKeepsTheOldOneUntilTheNewOneIsInPlace()
    {
        using var dir = new TempDirectory();
        AtomicOutput.WriteDirectory(dir.File("ckpt"), t => File.WriteAllText(Path.Combine(t, "v"), "1"));
        AtomicOutput.WriteDirectory(dir.File("ckpt"), t => File.WriteAllText(Path.Combine(t, "v"), "2"), replace: true);
        Assert.Equal("2", File.ReadAllText(dir.File("ckpt/v")));
        Assert.Equal(["ckpt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void RecoverDeletesTemporariesAndPutsBackAReplacedDirectoryWhoseSuccessorNeverArrived()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File(".step_7.partial-0123abcd"));          // killed while writing step_7
        Directory.CreateDirectory(dir.File(".interrupted.replaced-89abcdef"));    // killed between the two renames
        File.WriteAllText(dir.File(".interrupted.replaced-89abcdef/state"), "old");
        Directory.CreateDirectory(dir.File("step_3"));
        Directory.CreateDirectory(dir.File(".step_3.replaced-00000000"));        // killed before deleting the replaced one

        var done = AtomicOutput.Recover(dir.Path);

        Assert.Equal(3, done.Count);
        Assert.Equal(["interrupted", "step_3"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("old", File.ReadAllText(dir.File("interrupted/state")));
    }
}
