namespace Trm.Rendering;

/// <summary>The answer after one supervision step, drawn (<see cref="Board"/>), and what to write above it.</summary>
public sealed record TrajectoryFrame(string Caption, Raster Board);

/// <summary>
/// A refinement trajectory, the answer after each supervision step: as one PNG strip (a <see cref="PanelSheet"/> with
/// up to <see cref="FramesPerRow"/> frames per row) or as an animated GIF with one frame per step (each a one-panel
/// sheet, the last shown longer).
/// </summary>
public static class TrajectoryImage
{
    public const int FramesPerRow = 8, DefaultDelayMilliseconds = 800, LastFrameHold = 3;

    /// <summary>The strip; it does not dispose the frames' boards.</summary>
    public static Raster Strip(string? title, IReadOnlyList<TrajectoryFrame> frames)
    {
        if (frames.Count == 0) throw new ArgumentException("a trajectory needs at least one step", nameof(frames));
        var rows = frames.Select(f => new Panel(f.Caption, f.Board)).Chunk(FramesPerRow).Select(row => (IReadOnlyList<Panel>)row).ToList();
        return PanelSheet.Render(title, rows);
    }

    /// <summary>One sheet per step (title, caption unless <paramref name="captions"/> is false, board), as the GIF and the HTML page show them.</summary>
    public static IReadOnlyList<Raster> Sheets(string? title, IReadOnlyList<TrajectoryFrame> frames, bool captions = true)
    {
        if (frames.Count == 0) throw new ArgumentException("a trajectory needs at least one step", nameof(frames));
        return [.. frames.Select(f => PanelSheet.Render(title, [[new Panel(captions ? f.Caption : "", f.Board)]]))];
    }

    /// <summary>The animated GIF: one frame per step, <paramref name="delayMilliseconds"/> apart, the last held <see cref="LastFrameHold"/> times longer.</summary>
    public static byte[] Gif(string? title, IReadOnlyList<TrajectoryFrame> frames, int delayMilliseconds = DefaultDelayMilliseconds)
    {
        var sheets = Sheets(title, frames);
        try
        {
            int delay = Math.Max(1, delayMilliseconds / 10);
            return GifEncoder.Encode(sheets, [.. sheets.Select((_, i) => i == sheets.Count - 1 ? delay * LastFrameHold : delay)]);
        }
        finally
        {
            foreach (var sheet in sheets) sheet.Dispose();
        }
    }
}
