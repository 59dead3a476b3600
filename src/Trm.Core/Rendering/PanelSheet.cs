namespace Trm.Rendering;

/// <summary>
/// A picture in a sheet: <see cref="Content"/> under a one-line <see cref="Caption"/>, inside a frame
/// <see cref="PanelSheet.FrameWidth"/> pixels wide in <see cref="Frame"/> (the sheet's background when null).
/// </summary>
public sealed record Panel(string Caption, Raster Content, Rgb? Frame = null);

/// <summary>
/// Lays panels out in rows on a white sheet, with an optional title line on top:
/// <list type="bullet">
/// <item>a panel is <c>max(content width + 2 * FrameWidth, MinPanelWidth)</c> wide (room for its caption; the content stands at its left) and <c>CaptionHeight + content height + 2 * FrameWidth</c> high;</item>
/// <item>panels in a row stand <see cref="Gap"/> apart, top-aligned; rows stand <see cref="Gap"/> apart, each as high as its highest panel;</item>
/// <item>the sheet has <see cref="Padding"/> around everything and, when it has a title, <see cref="TitleHeight"/> more on top
/// and a width of at least <see cref="MinTitledWidth"/>.</item>
/// </list>
/// </summary>
public static class PanelSheet
{
    public const int Padding = 10, Gap = 10, CaptionHeight = 18, FrameWidth = 3, TitleHeight = 26, MinPanelWidth = 110, MinTitledWidth = 300;
    public const float CaptionSize = 12, TitleSize = 15;

    public static Rgb Background { get; } = Rgb.White;
    public static Rgb Ink { get; } = Rgb.Parse("#222222");

    public static int PanelWidth(Raster content) => Math.Max(content.Width + 2 * FrameWidth, MinPanelWidth);
    public static int PanelHeight(Raster content) => CaptionHeight + content.Height + 2 * FrameWidth;

    /// <summary>The width of the sheet: padding and the widest row (at least <see cref="MinTitledWidth"/> with a title).</summary>
    public static int Width(bool titled, IReadOnlyList<IReadOnlyList<Panel>> rows)
    {
        int width = 2 * Padding + rows.Max(row => row.Sum(p => PanelWidth(p.Content)) + Gap * (row.Count - 1));
        return titled ? Math.Max(width, MinTitledWidth) : width;
    }

    /// <summary>The sheet; it does not dispose the panels' rasters.</summary>
    public static Raster Render(string? title, IReadOnlyList<IReadOnlyList<Panel>> rows)
    {
        if (rows.Count == 0 || rows.Any(row => row.Count == 0)) throw new ArgumentException("a sheet needs at least one panel in every row", nameof(rows));
        int top = Padding + (title is null ? 0 : TitleHeight);
        var heights = rows.Select(row => row.Max(p => PanelHeight(p.Content))).ToList();
        var sheet = new Raster(Width(title is not null, rows), top + heights.Sum() + Gap * (rows.Count - 1) + Padding, Background);
        if (title is not null) sheet.Text(title, Padding, Padding + TitleHeight / 2f - 2, TitleSize, Ink, bold: true);

        int y = top;
        for (int r = 0; r < rows.Count; r++)
        {
            int x = Padding;
            foreach (var panel in rows[r])
            {
                sheet.Text(panel.Caption, x, y + CaptionHeight / 2f, CaptionSize, Ink);
                if (panel.Frame is { } frame) sheet.Fill(x, y + CaptionHeight, panel.Content.Width + 2 * FrameWidth, panel.Content.Height + 2 * FrameWidth, frame);
                sheet.Draw(panel.Content, x + FrameWidth, y + CaptionHeight + FrameWidth);
                x += PanelWidth(panel.Content) + Gap;
            }
            y += heights[r] + Gap;
        }
        return sheet;
    }

    /// <summary>Renders the sheet, then disposes every panel's raster.</summary>
    public static Raster RenderAndDispose(string? title, IReadOnlyList<IReadOnlyList<Panel>> rows)
    {
        try
        {
            return Render(title, rows);
        }
        finally
        {
            foreach (var panel in rows.SelectMany(row => row)) panel.Content.Dispose();
        }
    }
}
