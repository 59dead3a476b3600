using System.Globalization;
using Trm.Puzzles;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Sudoku;

namespace Trm.Rendering;

/// <summary>A solve record drawn step by step: a short title and one frame per supervision step.</summary>
public sealed record Trajectory(string Title, IReadOnlyList<TrajectoryFrame> Frames) : IDisposable
{
    public void Dispose()
    {
        foreach (var frame in Frames) frame.Board.Dispose();
    }
}

/// <summary>
/// Turns a <see cref="SolveRecord"/> into a <see cref="Trajectory"/>: each step's answer drawn as its kind's board, the
/// cells that changed since the previous step framed, wrong cells marked where the puzzle tells (a Sudoku's unique
/// solution or repeated digits; maze path cells off every shortest route), captioned with the step, the halting
/// probability and which step's answer was taken.
/// </summary>
public static class SolveFrames
{
    public static Trajectory For(SolveRecord record, int? cell = null) => record switch
    {
        SudokuSolveRecord sudoku => Sudoku(sudoku, cell ?? SudokuImage.DefaultCell),
        MazeSolveRecord maze => Maze(maze, cell ?? MazeImage.DefaultCell),
        ArcSolveRecord arc => Arc(arc, cell ?? ArcGridImage.DefaultCell),
        _ => throw new ArgumentException($"no frames for {record.GetType().Name}", nameof(record)),
    };

    /// <summary>"step 3 · halt 97 % · taken".</summary>
    public static string Caption(int step, double haltProbability, bool taken) =>
        $"step {step} · halt {(haltProbability * 100).ToString("0", CultureInfo.InvariantCulture)} %" + (taken ? " · taken" : "");

    static Trajectory Sudoku(SudokuSolveRecord record, int cell)
    {
        var (geometry, givens) = SudokuCells.Parse(record.Puzzle, "puzzle");
        var frames = new List<TrajectoryFrame>();
        byte[]? previous = null;
        for (int i = 0; i < record.Steps.Count; i++)
        {
            var digits = SudokuCells.Parse(record.Steps[i].Answer, geometry, $"steps[{i}].answer");
            var changed = previous is null ? null : digits.Select((d, j) => d != previous[j]).ToArray();
            var board = new SudokuBoard(geometry, givens, digits, SudokuMistakes.Find(geometry, givens, digits), changed);
            frames.Add(new(Caption(i + 1, record.Steps[i].HaltProbability, i + 1 == record.StepsUsed), SudokuImage.Render(board, cell)));
            previous = digits;
        }
        return new($"Sudoku {geometry}: {(record.Valid ? "solved" : "not solved")}{Spread(record)}", frames);
    }

    static Trajectory Maze(MazeSolveRecord record, int cell)
    {
        var frames = new List<TrajectoryFrame>();
        IReadOnlyList<string>? previous = null;
        for (int i = 0; i < record.Steps.Count; i++)
        {
            var rows = record.Steps[i].Answer;
            var board = new MazeBoard(rows, MazeRoutes.OffRoute(record.Puzzle, rows), previous is null ? null : Changes(previous, rows));
            frames.Add(new(Caption(i + 1, record.Steps[i].HaltProbability, i + 1 == record.StepsUsed), MazeImage.Render(board, cell)));
            previous = rows;
        }
        var verdict = !record.Valid ? "not solved" : record.Shortest ? "shortest path" : "path not shortest";
        return new($"Maze {record.Puzzle[0].Length}x{record.Puzzle.Count}: {verdict}{Spread(record)}", frames);
    }

    /// <summary>With test-time compute, how the runs spread: " · chosen among 16 runs: 3 answers, 1 right".</summary>
    static string Spread(SolveRecord record) => record.Runs is not { } runs ? ""
        : $" · chosen among {runs.Sum(r => r.Runs)} runs: {runs.Count} answer{(runs.Count == 1 ? "" : "s")}, {runs.Count(r => r.Right == true)} right";

    /// <summary>Frame k: per test input (one row each) the input, the expected output when known, and the answer after step k
    /// (a test with fewer steps keeps its last answer; one with none shows attempt 1).</summary>
    static Trajectory Arc(ArcSolveRecord record, int cell)
    {
        int count = record.Tests.Max(t => t.Steps.Count);
        if (count == 0) throw new TrmException($"ARC task {record.Task}: the record has no steps to draw one by one; write a .png to draw its attempts.");
        var frames = new List<TrajectoryFrame>();
        for (int k = 0; k < count; k++)
        {
            var rows = record.Tests.Select((test, t) =>
            {
                var row = new List<Panel> { new($"test {t + 1} input", ArcGridImage.Render(test.Input, cell)) };
                if (test.Expected is not null) row.Add(new("expected", ArcGridImage.Render(test.Expected, cell)));
                if (test.Steps.Count == 0) row.Add(new("attempt 1", ArcGridImage.Render(test.Attempt1, cell)));
                else
                {
                    int step = Math.Min(k, test.Steps.Count - 1);
                    var answer = test.Steps[step].Answer;
                    var changed = step == 0 ? null : CellGrid.Changes(test.Steps[step - 1].Answer, answer);
                    row.Add(new($"step {step + 1}", ArcGridImage.Render(answer, cell, changed), AnswerFrame(answer, test.Expected)));
                }
                return (IReadOnlyList<Panel>)row;
            }).ToList();
            var halts = record.Tests.Where(t => t.Steps.Count > k).Select(t => t.Steps[k].HaltProbability).DefaultIfEmpty(1).ToList();
            frames.Add(new(Caption(k + 1, halts.Average(), taken: false), PanelSheet.RenderAndDispose(null, rows)));
        }
        return new($"ARC task {record.Task}", frames);
    }

    /// <summary>Green when the answer equals the expected output, red when not, none when unknown.</summary>
    public static Rgb? AnswerFrame(byte[,] answer, byte[,]? expected) =>
        expected is null ? null : ArcTaskImage.SameGrid(answer, expected) ? ArcTaskImage.Right : ArcTaskImage.Wrong;

    static bool[,] Changes(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var changed = new bool[after.Count, after[0].Length];
        for (int r = 0; r < after.Count; r++)
            for (int c = 0; c < after[r].Length; c++) changed[r, c] = before[r][c] != after[r][c];
        return changed;
    }
}
