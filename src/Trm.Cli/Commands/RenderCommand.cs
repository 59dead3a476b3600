using System.CommandLine;
using Trm.IO;
using Trm.Rendering;
using Trm.Solving;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Sudoku;
using Trm.Puzzles.Maze;

namespace Trm.Cli.Commands;

/// <summary>
/// <c>trm render arc|sudoku|maze|trajectory</c>: pictures of puzzles, answers and refinement trajectories (PNG; GIF or
/// HTML for trajectories). Bad input is named before anything is written; the output appears whole or not at all.
/// </summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var arcTask = new Argument<FileInfo>("task") { Description = "An ARC task file {\"train\": [...], \"test\": [...]}, or a *_challenges.json file with --task" };
        var taskId = new Option<string?>("--task") { Description = "The task's id in a combined challenges file (expected outputs come from the _solutions.json beside it)" };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "A submission.json with attempts for the task ({\"id\": [{\"attempt_1\": grid, \"attempt_2\": grid}]})" };
        var (arcOut, arcCell, arcForce) = Common($"pixels per cell (default {ArcGridImage.DefaultCell})");
        var arc = new Command("arc", "Draw an ARC task: each pair a row, input | output; test inputs with their expected output and predicted attempts, marked right or wrong.")
        {
            arcTask, taskId, predictions, arcOut, arcCell, arcForce,
        };
        arc.SetAction(parse => CommandRunner.Run(() => Arc(parse.GetValue(arcTask)!.FullName, parse.GetValue(taskId), parse.GetValue(predictions)?.FullName,
            parse.GetValue(arcOut)!.FullName, parse.GetValue(arcCell), parse.GetValue(arcForce), Console.Out),
            new Dictionary<string, string> { [ArcPuzzleReader.TaskIdSetting] = taskId.Name }));

        var puzzle = new Argument<string>("puzzle") { Description = "The cells row by row, . or 0 for blanks (16, 36 or 81 characters)" };
        var answer = new Option<string?>("--answer") { Description = "An answer to draw over the puzzle (same length); wrong digits are marked" };
        var (sudokuOut, sudokuCell, sudokuForce) = Common($"pixels per cell (default {SudokuImage.DefaultCell})");
        var sudoku = new Command("sudoku", "Draw a Sudoku board: clues, filled digits, and wrong cells when an answer is given.")
        {
            puzzle, answer, sudokuOut, sudokuCell, sudokuForce,
        };
        sudoku.SetAction(parse => CommandRunner.Run(() => Sudoku(parse.GetValue(puzzle)!, parse.GetValue(answer), parse.GetValue(sudokuOut)!.FullName,
            parse.GetValue(sudokuCell), parse.GetValue(sudokuForce), Console.Out)));

        var mazeFile = new Argument<FileInfo>("maze") { Description = "A text file of maze rows: # wall, space open, S start, G goal, o path" };
        var (mazeOut, mazeCell, mazeForce) = Common($"pixels per cell (default {MazeImage.DefaultCell})");
        var maze = new Command("maze", "Draw a maze board; path cells off every shortest route from S to G are marked.")
        {
            mazeFile, mazeOut, mazeCell, mazeForce,
        };
        maze.SetAction(parse => CommandRunner.Run(() => Maze(parse.GetValue(mazeFile)!.FullName, parse.GetValue(mazeOut)!.FullName,
            parse.GetValue(mazeCell), parse.GetValue(mazeForce), Console.Out)));

        var record = new Argument<FileInfo>("solve-json") { Description = "The JSON that `trm solve ... --out FILE.json` wrote" };
        var (trajectoryOut, trajectoryCell, trajectoryForce) = Common("pixels per cell (default: the kind's)", "PNG strip, animated GIF or HTML page: .png, .gif or .html");
        var delay = new Option<int>("--delay") { Description = "Milliseconds each step shows in a GIF or page", DefaultValueFactory = _ => TrajectoryImage.DefaultDelayMilliseconds }.Within("FrameDelay");
        var trajectory = new Command("trajectory", "Draw the answer after each supervision step of a solve, changed cells framed: PNG strip, animated GIF or HTML page.")
        {
            record, trajectoryOut, trajectoryCell, delay, trajectoryForce,
        };
        trajectory.SetAction(parse => CommandRunner.Run(() => Trajectory(parse.GetValue(record)!.FullName, parse.GetValue(trajectoryOut)!.FullName,
            parse.GetValue(trajectoryCell), parse.GetValue(delay), parse.GetValue(trajectoryForce), Console.Out)));

        return new Command("render", "Draw puzzles, answers and refinement trajectories as PNG (GIF or HTML for trajectories).") { arc, sudoku, maze, trajectory };
    }

    public static int Arc(string taskPath, string? taskId, string? predictionsPath, string output, int? cell, bool force, TextWriter console)
    {
        Prepare(output, force, [taskPath, predictionsPath], ImageFormat.Png);
        var task = ArcTaskView.Of(ArcPuzzleReader.ReadTask(taskPath, taskId));
        if (predictionsPath is not null) task = ArcPredictionsFile.AddAttempts(task, predictionsPath);
        using var image = ArcTaskImage.Render(task, cell ?? ArcGridImage.DefaultCell);
        return Save(output, image.EncodePng(), $"{image.Width}x{image.Height}", console);
    }

    public static int Sudoku(string puzzle, string? answer, string output, int? cell, bool force, TextWriter console)
    {
        Prepare(output, force, [], ImageFormat.Png);
        var (geometry, givens) = SudokuCells.Parse(puzzle, "the puzzle");
        var digits = answer is null ? givens : SudokuCells.Parse(answer, geometry, "--answer");
        var wrong = answer is null ? null : SudokuMistakes.Find(geometry, givens, digits);
        using var image = SudokuImage.Render(new SudokuBoard(geometry, givens, digits, wrong), cell ?? SudokuImage.DefaultCell);
        return Save(output, image.EncodePng(), $"{image.Width}x{image.Height}", console);
    }

    public static int Maze(string path, string output, int? cell, bool force, TextWriter console)
    {
        Prepare(output, force, [path], ImageFormat.Png);
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found: pass a text file of maze rows (# wall, space open, S, G, o path).");
        var rows = MazeText.ReadFile(path).Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0) rows.RemoveAt(rows.Count - 1);
        if (MazeText.Problem(rows) is { } problem) throw new TrmException($"{path}: {problem}.");
        using var image = MazeImage.Render(new MazeBoard(rows, MazeRoutes.OffRoute(rows)), cell ?? MazeImage.DefaultCell);
        return Save(output, image.EncodePng(), $"{image.Width}x{image.Height}", console);
    }

    public static int Trajectory(string path, string output, int? cell, int delayMilliseconds, bool force, TextWriter console)
    {
        var format = Prepare(output, force, [path], ImageFormat.Png, ImageFormat.Gif, ImageFormat.Html);
        var record = PuzzleKinds.ReadRecord(path);
        var bytes = SolveRendering.Render(record, format, new RenderOptions(cell, delayMilliseconds));
        int steps = record.StepCount();
        return Save(output, bytes, $"{steps} step{(steps == 1 ? "" : "s")}", console);
    }

    static (Option<FileInfo> Out, Option<int?> Cell, Option<bool> Force) Common(string cell, string output = "PNG file to write (.png)") => (
        new Option<FileInfo>("--out") { Description = output, Required = true },
        new Option<int?>("--cell") { Description = $"Cell size: {cell}" }.Within("CellPixels"),
        new Option<bool>("--force") { Description = "Replace the output file if it exists" });

    /// <summary>Checks the output path (never one of <paramref name="inputs"/>) before any input is read (the flags' limits were checked as they were parsed); returns the format the extension names.</summary>
    static ImageFormat Prepare(string output, bool force, string?[] inputs, params ImageFormat[] formats)
    {
        var format = ImageFormats.FromPath(output, formats);
        UserFile.RequireNotInput(output, inputs, "choose another --out");
        if (!force) AtomicOutput.RequireAbsent(output, "pass --force to replace it, or choose another --out");
        return format;
    }

    static int Save(string output, byte[] bytes, string what, TextWriter console)
    {
        AtomicOutput.WriteFile(output, temporary => File.WriteAllBytes(temporary, bytes));
        console.WriteLine($"wrote {output} ({what}, {bytes.Length / 1024.0:F1} KB)");
        return 0;
    }
}
