using System.Diagnostics;
using Trm.Cli;

namespace Trm.Tests;

public class ProcessorContentionTests
{
    [Theory]
    [InlineData(2, 2, 0.1)]   // a quiet machine
    [InlineData(1, 2, 0.9)]   // one thread on the idle core
    [InlineData(5, 8, 3.0)]
    public void NoAdviceWhenTheThreadsFindIdleProcessors(int threads, int processors, double othersBusy) =>
        Assert.Null(ProcessorContention.Advice(threads, processors, othersBusy));

    [Theory]
    [InlineData(2, 2, 1.0, 1)]
    [InlineData(2, 2, 1.9, 1)]   // never fewer than one
    [InlineData(8, 8, 3.0, 5)]
    public void AdviceNamesTheThreadsThatFit(int threads, int processors, double othersBusy, int suggested)
    {
        var advice = ProcessorContention.Advice(threads, processors, othersBusy);
        Assert.NotNull(advice);
        Assert.Contains($"threads={suggested} ", advice);
        Assert.Contains($"{othersBusy:F1} of {processors} processors", advice);
    }

    [Fact]
    public void AnotherProcessSpinningIsSeenAsBusy()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var spinner = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))!;
        try
        {
            var othersBusy = ProcessorContention.OthersBusyProcessors(TimeSpan.FromSeconds(1));
            Assert.NotNull(othersBusy);
            Assert.InRange(othersBusy!.Value, 0.25, Environment.ProcessorCount);
        }
        finally
        {
            spinner.Kill();
        }
    }
}
