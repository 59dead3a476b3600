using System.Diagnostics;

namespace Trm.Tests.Cli;

/// <summary>Runs the built <c>trm</c> program as a user would.</summary>
public class CliTests
{
    static (int ExitCode, string Stdout, string Stderr) RunTrm(params string[] args)
    {
        var trm = Path.Combine(AppContext.BaseDirectory, "trm.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(trm);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void VerifyReferencePrintsPassAndExitsZero()
    {
        var (exit, stdout, _) = RunTrm("verify-reference", TestPaths.ReferenceFixture);
        Assert.Equal(0, exit);
        Assert.Equal("PASS", stdout.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void MissingFixtureFolderIsAClearError()
    {
        var (exit, _, stderr) = RunTrm("verify-reference", "/no/such/fixture");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/fixture: fixture folder not found.", stderr);
    }

    [Fact]
    public void UnknownFlagIsRejected()
    {
        var (exit, _, stderr) = RunTrm("verify-reference", TestPaths.ReferenceFixture, "--fast");
        Assert.NotEqual(0, exit);
        Assert.Contains("--fast", stderr);
    }
}
