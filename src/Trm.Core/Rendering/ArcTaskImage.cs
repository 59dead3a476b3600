using Trm.Puzzles.Arc;

namespace Trm.Rendering;

/// <summary>One test input of an ARC task: its expected output when known, and a solver's attempts (possibly none).</summary>
public sealed record ArcTestView(byte[,] Input, byte[,]? Expected, IReadOnlyList<byte[,]> Attempts);

/// <summary>An ARC task to draw: its demonstration pairs and its test inputs.</summary>
public sealed record ArcTaskView(string Id, IReadOnlyList<ArcPair> Train, IReadOnlyList<ArcTestView> Tests)
{
    /// <summary>A task as <see cref="ArcPuzzleReader.ReadTask"/> reads it, with the expected outputs it knows and no attempts yet.</summary>
    public static ArcTaskView Of(ArcTask task) =>
        new(task.Id, task.Puzzle.Train, [.. task.Puzzle.Test.Select((pair, i) => new ArcTestView(pair.Input, task.Expected[i], []))]);
}

/// <summary>
/// An ARC task as a <see cref="PanelSheet"/>: one row per pair, train pairs first (input | output), then each test input
/// (input | expected output | attempt 1 | attempt 2 ...). With an expected output, each attempt is framed in
/// <see cref="Right"/> when it equals it and <see cref="Wrong"/> when not.
/// </summary>
public static class ArcTaskImage
{
    public static Rgb Right { get; } = Rgb.Parse("#2ECC40");
    public static Rgb Wrong { get; } = Rgb.Parse("#FF4136");

    public static Raster Render(ArcTaskView task, int cell = ArcGridImage.DefaultCell)
    {
        var rows = new List<IReadOnlyList<Panel>>();
        for (int i = 0; i < task.Train.Count; i++)
            rows.Add([Grid($"train {i + 1} input", task.Train[i].Input, cell), Grid("output", task.Train[i].Output, cell)]);
        for (int i = 0; i < task.Tests.Count; i++)
        {
            var test = task.Tests[i];
            var row = new List<Panel> { Grid($"test {i + 1} input", test.Input, cell) };
            if (test.Expected is not null) row.Add(Grid("expected", test.Expected, cell));
            for (int a = 0; a < test.Attempts.Count; a++)
            {
                bool? right = test.Expected is null ? null : SameGrid(test.Attempts[a], test.Expected);
                var caption = $"attempt {a + 1}" + right switch { true => ": right", false => ": wrong", null => "" };
                row.Add(Grid(caption, test.Attempts[a], cell, right switch { true => Right, false => Wrong, null => null }));
            }
            rows.Add(row);
        }
        var solved = task.Tests.Count(t => t.Expected is not null && t.Attempts.Any(a => SameGrid(a, t.Expected)));
        bool scored = task.Tests.All(t => t.Expected is not null) && task.Tests.Any(t => t.Attempts.Count > 0);
        var title = $"ARC task {task.Id}" + (scored ? $": {solved} of {task.Tests.Count} test{(task.Tests.Count == 1 ? "" : "s")} solved" : "");
        return PanelSheet.RenderAndDispose(title, rows);
    }

    /// <summary>True when both grids have the same shape and colours.</summary>
    public static bool SameGrid(byte[,] a, byte[,] b) =>
        a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) && a.Cast<byte>().SequenceEqual(b.Cast<byte>());

    static Panel Grid(string caption, byte[,] grid, int cell, Rgb? frame = null) => new(caption, ArcGridImage.Render(grid, cell), frame);
}
