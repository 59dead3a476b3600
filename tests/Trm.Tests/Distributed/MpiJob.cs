using System.Diagnostics;

namespace Trm.Tests.Distributed;

/// <summary>
/// Runs <c>trm</c> as a real data-parallel job under Open MPI's <c>mpirun</c> (one process per rank, 1 libtorch thread
/// each). The tests that need it are skipped where Open MPI is not installed, unless TRM_REQUIRE_MPI=1 (set by .ci/run,
/// which installs it) makes its absence a failure.
/// </summary>
public static class MpiJob
{
    public static string? Mpirun { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, "mpirun")).FirstOrDefault(File.Exists);

    public static bool Required => Environment.GetEnvironmentVariable("TRM_REQUIRE_MPI") == "1";

    /// <summary>mpirun -np <paramref name="ranks"/> trm ARGS; or, for MPMD jobs, several "-np N trm ARGS" parts separated by ":".</summary>
    public static Process Start(int ranks, IEnumerable<string> args) => Start([[$"{ranks}", .. args]]);

    /// <param name="parts">Each part: the rank count, then trm's arguments.</param>
    public static Process Start(IReadOnlyList<string[]> parts)
    {
        var start = new ProcessStartInfo(Mpirun ?? throw new InvalidOperationException("Open MPI's mpirun is not installed (apt install openmpi-bin libopenmpi-dev)."))
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // Root in containers; more ranks than cores; no cross-memory attach, which containers often forbid.
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none";
        start.ArgumentList.Add("--oversubscribe");
        var trm = Path.Combine(AppContext.BaseDirectory, "trm.dll");
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0) start.ArgumentList.Add(":");
            foreach (var a in (string[])["-np", parts[i][0], "dotnet", trm, .. parts[i][1..]]) start.ArgumentList.Add(a);
        }
        return Process.Start(start)!;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(int ranks, params string[] args) => Wait(Start(ranks, args));

    public static (int ExitCode, string Stdout, string Stderr) Wait(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}

/// <summary>A test that runs mpirun: skipped, saying why, where Open MPI is missing (a failure under .ci/run).</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiJob.Mpirun is null && !MpiJob.Required) Skip = "Open MPI is not installed (apt install openmpi-bin libopenmpi-dev; .ci/run installs it)";
    }
}
