using System.Globalization;
using Trm.Solving;

namespace Trm.Rendering;

/// <summary>
/// A test-time compute study as a picture: solved share (%) against runs per puzzle (log 2 axis), one colour per series of
/// settings that differ only in the number of runs; the chosen answers solid, the oracle (any run right) dashed.
/// </summary>
public static class ScalingPlot
{
    const int Width = 900, Height = 520, Left = 70, Right = 340, Top = 40, Bottom = 60;
    static readonly Rgb[] Colours = [.. new[] { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2" }.Select(Rgb.Parse)];

    /// <summary>A series' name: what its points share ("sigma 0.3 on z_L, D 4, q"; augmented copies are counted along the axis).</summary>
    public static string Series(ScalingPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{(point.Sampling.Augment > 0 ? "copies, " : "")}sigma {point.Sampling.Noise}" +
            $"{(point.Sampling.Noise > 0 ? $" on {Model.LatentNoise.Name(point.Sampling.NoiseOn)}" : "")}, D {point.MaxSteps}, {Sampling.Name(point.Sampling.Select)}");

    public static byte[] Png(string title, IReadOnlyList<ScalingPoint> points)
    {
        using var raster = new Raster(Width, Height, Rgb.White);
        var ink = PanelSheet.Ink;
        double maxRuns = Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)points.Max(p => p.Sampling.RunsPerPuzzle)));
        float X(double runs) => Left + (float)(Math.Log2(runs) / Math.Log2(maxRuns)) * (Width - Left - Right);
        float Y(double share) => Height - Bottom - (float)share * (Height - Top - Bottom);

        raster.Text(title, Left, Top / 2f, 15, ink, bold: true);
        raster.Line(Left, Top, Left, Height - Bottom, 1, ink);
        raster.Line(Left, Height - Bottom, Width - Right, Height - Bottom, 1, ink);
        for (int tick = 0; tick <= 10; tick += 2)
        {
            raster.Line(Left - 4, Y(tick / 10.0), Width - Right, Y(tick / 10.0), 1, Rgb.Parse("#e0e0e0"));
            raster.Text($"{tick * 10} %", 8, Y(tick / 10.0), 11, ink);
        }
        for (double runs = 1; runs <= maxRuns; runs *= 2)
            raster.Text(runs.ToString(CultureInfo.InvariantCulture), X(runs), Height - Bottom + 14, 11, ink, centred: true);
        raster.Text("runs per puzzle (trajectories x frames)", (Left + Width - Right) / 2f, Height - 18, 12, ink, centred: true);

        var series = points.GroupBy(Series).ToList();
        for (int s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var line = series[s].OrderBy(p => p.Sampling.RunsPerPuzzle).ToList();
            for (int i = 0; i < line.Count; i++)
            {
                float x = X(line[i].Sampling.RunsPerPuzzle);
                raster.Fill((int)x - 3, (int)Y(line[i].Solved) - 3, 7, 7, colour);
                if (i == 0) continue;
                float x0 = X(line[i - 1].Sampling.RunsPerPuzzle);
                raster.Line(x0, Y(line[i - 1].Solved), x, Y(line[i].Solved), 2, colour);
                raster.Line(x0, Y(line[i - 1].Oracle), x, Y(line[i].Oracle), 1.5f, colour, dashed: true);
            }
            float legend = Top + 14 + 20 * s;
            raster.Line(Width - Right + 15, legend, Width - Right + 40, legend, 2, colour);
            raster.Text(series[s].Key, Width - Right + 46, legend, 11, ink);
        }
        float note = Top + 14 + 20 * series.Count + 10;
        raster.Text("solid: chosen answer; dashed: any run right (oracle)", Width - Right + 15, note, 11, ink);
        return raster.EncodePng();
    }
}
