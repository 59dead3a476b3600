using System.Diagnostics;
using Trm.Data;

namespace Trm.Cli.Commands;

/// <summary>
/// Shows a build's progress: a bar redrawn in place on a terminal, or a plain line every 10 % when the
/// output is redirected (CI logs, files). Each line gives done/total, rate and time left.
/// </summary>
public sealed class ProgressDisplay(TextWriter output, bool interactive) : IProgress<BuildProgress>
{
    const int BarWidth = 30;
    static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    readonly Stopwatch stageClock = new();
    string? stage;
    TimeSpan? lastDraw;   // null: nothing drawn in this stage yet
    long lastDecile = -1;

    public static ProgressDisplay ForConsole() => new(Console.Out, !Console.IsOutputRedirected);

    public void Report(BuildProgress value)
    {
        if (value.Stage != stage)
        {
            if (stage is not null && interactive) output.WriteLine();
            (stage, lastDraw, lastDecile) = (value.Stage, null, -1);
            stageClock.Restart();
        }
        bool finished = value.Done >= value.Total;
        if (interactive)
        {
            if (!finished && lastDraw is { } drawn && stageClock.Elapsed - drawn < RedrawInterval) return;
            lastDraw = stageClock.Elapsed;
            output.Write($"\r{Line(value)}");
            if (finished) { output.WriteLine(); stage = null; }
        }
        else
        {
            long decile = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
            if (decile == lastDecile) return;
            lastDecile = decile;
            output.WriteLine(Line(value));
            if (finished) stage = null;
        }
    }

    string Line(BuildProgress value)
    {
        double fraction = value.Total == 0 ? 1 : (double)value.Done / value.Total;
        int filled = (int)(fraction * BarWidth);
        double seconds = stageClock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? value.Done / seconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
        return $"{value.Stage,-16} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {value.Done}/{value.Total} " +
               $"{rate:F0}/s, {(value.Done >= value.Total ? $"took {Clock(stageClock.Elapsed)}" : $"{Clock(left)} left")}";
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    internal static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
