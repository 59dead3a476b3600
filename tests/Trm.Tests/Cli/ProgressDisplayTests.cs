using Trm.Cli.Commands;
using Trm.Data;

namespace Trm.Tests.Cli;

/// <summary>The build progress display, on a terminal (a bar redrawn in place) and in a log (a line per 10 %).</summary>
public class ProgressDisplayTests
{
    [Fact]
    public void OnATerminalTheFirstReportDrawsABarAndTheLastEndsTheLine()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: true);
        display.Report(new BuildProgress("generating", 1, 10));   // the first draw of a stage (once overflowed a TimeSpan)
        display.Report(new BuildProgress("generating", 2, 10));   // within the redraw interval: not drawn
        display.Report(new BuildProgress("generating", 10, 10));
        var text = output.ToString();
        Assert.StartsWith("\rgenerating       [###...", text);
        Assert.DoesNotContain("2/10", text);
        Assert.EndsWith($"10/10 {text.Split("10/10 ")[1].Split(',')[0]}, took 0:00{Environment.NewLine}", text);
    }

    [Fact]
    public void InALogEachTenthIsOneLine()
    {
        var output = new StringWriter();
        var display = new ProgressDisplay(output, interactive: false);
        for (int done = 1; done <= 100; done++) display.Report(new BuildProgress("building", done, 100));
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);   // the start, then every 10 %
        Assert.Contains("100/100", lines[^1]);
    }
}
