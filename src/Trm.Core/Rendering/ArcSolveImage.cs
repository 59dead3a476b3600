using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Arc;
namespace Trm.Rendering;

/// <summary>
/// An ARC solve record as one PNG sheet: per test input a row with the input, the expected output (when known) and the
/// two attempts (framed green when right, red when wrong), then rows of up to <see cref="TrajectoryImage.FramesPerRow"/>
/// steps with their halting probabilities and changed cells framed.
/// </summary>
public static class ArcSolveImage
{
    public static Raster Render(ArcSolveRecord record, int cell = ArcGridImage.DefaultCell)
    {
        var rows = new List<IReadOnlyList<Panel>>();
        for (int t = 0; t < record.Tests.Count; t++)
        {
            var test = record.Tests[t];
            var row = new List<Panel> { new($"test {t + 1} input", ArcGridImage.Render(test.Input, cell)) };
            if (test.Expected is not null) row.Add(new("expected", ArcGridImage.Render(test.Expected, cell)));
            row.Add(Attempt(1, test.Attempt1, test.Expected, cell));
            row.Add(Attempt(2, test.Attempt2, test.Expected, cell));
            rows.Add(row);
            var steps = test.Steps.Select((step, k) => new Panel(
                SolveFrames.Caption(k + 1, step.HaltProbability, taken: false),
                ArcGridImage.Render(step.Answer, cell, k == 0 ? null : CellGrid.Changes(test.Steps[k - 1].Answer, step.Answer)),
                SolveFrames.AnswerFrame(step.Answer, test.Expected)));
            rows.AddRange(steps.Chunk(TrajectoryImage.FramesPerRow));
        }
        return PanelSheet.RenderAndDispose($"ARC task {record.Task}", rows);
    }

    static Panel Attempt(int number, byte[,] grid, byte[,]? expected, int cell)
    {
        bool? right = expected is null ? null : ArcTaskImage.SameGrid(grid, expected);
        return new($"attempt {number}" + right switch { true => ": right", false => ": wrong", null => "" }, ArcGridImage.Render(grid, cell), SolveFrames.AnswerFrame(grid, expected));
    }
}
