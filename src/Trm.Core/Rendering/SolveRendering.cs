using System.Text;
using Trm.IO;
using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Arc;

namespace Trm.Rendering;

/// <summary>Picture options: pixels per cell (null: each kind's default) and the time each step shows in a GIF or page.</summary>
public sealed record RenderOptions(int? Cell = null, int DelayMilliseconds = TrajectoryImage.DefaultDelayMilliseconds);

/// <summary>
/// Draws a <see cref="SolveRecord"/>'s refinement trajectory, the answer after each supervision step: a PNG strip, an
/// animated GIF (one frame per step) or a self-contained HTML page with a step slider, chosen by the file's extension.
/// The entry point for <c>trm render trajectory</c> and for the pictures <c>trm solve</c> draws.
/// </summary>
public static class SolveRendering
{
    /// <summary>Writes the picture to <paramref name="path"/> atomically (an existing file is replaced).</summary>
    public static void Write(SolveRecord record, string path, RenderOptions? options = null)
    {
        var bytes = Render(record, ImageFormats.FromPath(path, ImageFormat.Png, ImageFormat.Gif, ImageFormat.Html), options);
        AtomicOutput.WriteFile(path, temporary => File.WriteAllBytes(temporary, bytes));
    }

    /// <summary>The file's bytes in <paramref name="format"/>.</summary>
    public static byte[] Render(SolveRecord record, ImageFormat format, RenderOptions? options = null)
    {
        options ??= new RenderOptions();
        if (format == ImageFormat.Png && record is ArcSolveRecord arc)
        {
            using var sheet = ArcSolveImage.Render(arc, options.Cell ?? ArcGridImage.DefaultCell);
            return sheet.EncodePng();
        }
        using var trajectory = SolveFrames.For(record, options.Cell);
        switch (format)
        {
            case ImageFormat.Png:
                using (var strip = TrajectoryImage.Strip(trajectory.Title, trajectory.Frames)) return strip.EncodePng();
            case ImageFormat.Gif:
                return TrajectoryImage.Gif(trajectory.Title, trajectory.Frames, options.DelayMilliseconds);
            default:
                return Encoding.UTF8.GetBytes(TrajectoryPage.Html(trajectory.Title, trajectory.Frames, options.DelayMilliseconds));
        }
    }
}
