using System.Diagnostics;

namespace Trm.Tests.Cli;

/// <summary>Runs the built <c>trm</c> program as a user would and captures its exit code and output.</summary>
public static class TrmProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Dotnet([Path.Combine(AppContext.BaseDirectory, "trm.dll"), .. args]);

    /// <summary>Runs the <c>dotnet</c> host with <paramref name="args"/>: a program's dll, or a command (<c>build</c>, <c>pack</c>).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
