using Trm.Cli;

namespace Trm.Tests;

/// <summary>A fact that reads Linux's /proc: skipped, and reported as skipped, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "reads /proc, which only Linux has";
    }
}

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

    // Two processors, 200 ticks each over the window (400 in all).
    [Theory]
    [InlineData(100, 0, 0.5)]     // half a processor busy, none of it ours
    [InlineData(300, 100, 1.0)]   // we used one processor's half, others the rest
    [InlineData(250, 250, 0.0)]   // all the busy time was ours
    [InlineData(120, 200, 0.0)]   // own time counted in ticks the machine had not yet counted: never below zero
    [InlineData(400, 0, 2.0)]
    public void OthersBusyIsTheBusyTimeThatWasNotOurs(long busy, long own, double expected)
    {
        var before = new ProcessorContention.Ticks(Busy: 1_000, Total: 10_000, Own: 50);
        var after = new ProcessorContention.Ticks(before.Busy + busy, before.Total + 400, before.Own + own);
        Assert.Equal(expected, ProcessorContention.OthersBusy(before, after, processors: 2)!.Value, 12);
    }

    [Fact]
    public void NoTimePassingMeasuresNothing()
    {
        var sample = new ProcessorContention.Ticks(1_000, 10_000, 50);
        Assert.Null(ProcessorContention.OthersBusy(sample, sample, processors: 2));
    }

    [Fact]
    public void TicksAreParsedAsLinuxWritesThem()
    {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice; a command name with spaces and parentheses.
        var ticks = ProcessorContention.ParseTicks("cpu  100 2 30 1000 40 5 6 7 9 1",
            "4242 (my (odd) name) R 1 4242 4242 0 -1 4194304 500 0 0 0 321 45 0 0 20 0 3 0 100 1000 200 18446744073709551615\n");
        Assert.Equal(new ProcessorContention.Ticks(Busy: 100 + 2 + 30 + 5 + 6 + 7, Total: 1190, Own: 321 + 45), ticks);
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5 6 7 8", "1 (x) R 1 1 1 0 -1 0 0 0 0 0 3 4")]   // a single processor's line
    [InlineData("cpu  1 2 3", "1 (x) R 1 1 1 0 -1 0 0 0 0 0 3 4")]              // too few fields
    [InlineData("cpu  1 2 3 4 5 6 7 x", "1 (x) R 1 1 1 0 -1 0 0 0 0 0 3 4")]
    [InlineData("cpu  1 2 3 4 5 6 7 8", "1 (x) R 1 1 1")]                        // /proc/self/stat cut short
    [InlineData("cpu  1 2 3 4 5 6 7 8", "no name")]
    public void WhatDoesNotReadAsLinuxWritesItIsNoSample(string procStat, string selfStat) =>
        Assert.Null(ProcessorContention.ParseTicks(procStat, selfStat));

    /// <summary>The real files parse, and a sample is a share of the machine; nothing is assumed about the load.</summary>
    [LinuxFact]
    public void ThisMachineIsSampled()
    {
        var ticks = ProcessorContention.ReadTicks();
        Assert.NotNull(ticks);
        Assert.InRange(ticks.Value.Busy, 0, ticks.Value.Total);
        Assert.True(ticks.Value.Own >= 0);
        var othersBusy = ProcessorContention.OthersBusyProcessors(TimeSpan.FromMilliseconds(50));
        if (othersBusy is { } busy) Assert.InRange(busy, 0, Environment.ProcessorCount);   // null if the clock did not tick
    }
}
