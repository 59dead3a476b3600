namespace Trm.Tests.Cli;

/// <summary>The verify-reference command and argument handling, run as a user would.</summary>
public class CliTests
{
    [Fact]
    public void VerifyReferencePrintsPassAndExitsZero()
    {
        var (exit, stdout, _) = TrmProcess.Run("verify-reference", TestPaths.ReferenceFixture);
        Assert.Equal(0, exit);
        Assert.Equal("PASS", stdout.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void MissingFixtureFolderIsAClearError()
    {
        var (exit, _, stderr) = TrmProcess.Run("verify-reference", "/no/such/fixture");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/fixture: fixture folder not found.", stderr);
    }

    [Fact]
    public void UnknownFlagIsRejected()
    {
        var (exit, _, stderr) = TrmProcess.Run("verify-reference", TestPaths.ReferenceFixture, "--fast");
        Assert.NotEqual(0, exit);
        Assert.Contains("--fast", stderr);
    }
}
