using System.Diagnostics;

namespace Trm.Tests.Cli;

/// <summary>Runs the built <c>trm</c> program as a user would and captures its exit code and output.</summary>
public static class TrmProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
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
}
