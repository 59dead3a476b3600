using System.Text.Json;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;

namespace Trm.Inference;

/// <summary>
/// Reads a <see cref="SolveRecord"/> file and checks it field by field: every error names the file, the field (e.g.
/// <c>steps[3].answer</c>) and what it should hold.
/// </summary>
public static class SolveRecordReader
{    /// <summary>Most supervision steps a record may hold (a model halts within halt_max_steps, 16 in the paper; each step becomes a picture).</summary>
    public const int MaxSteps = 256;
    /// <summary>Largest maze side a record may hold (Maze-Hard is 30x30).</summary>
    public const int MaxMazeSide = MazeText.MaxSide;
    /// <summary>Most test inputs an ARC record may hold (ARC tasks have 1 to 3).</summary>
    public const int MaxArcTests = 64;
    /// <summary>Largest record file read (64 MiB; a 30x30 ARC record with 16 steps is about 100 KB).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Reads the JSON that <see cref="SolveRecord.ToJson"/> wrote.</summary>
    public static SolveRecord Read(string path)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found: pass a JSON file of solve records.");
        if (new FileInfo(path).Length is var length && length > MaxFileBytes)
            throw new TrmException($"{path}: {length} bytes, more than the limit of {MaxFileBytes} for a solve record.");
        using var document = ArcPuzzleReader.Parse(path);
        return Read(document.RootElement, path);
    }

    /// <param name="source">Names the JSON in errors (a path).</param>
    public static SolveRecord Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{source}: expected an object with a \"kind\" (sudoku, maze or arc), found {ArcPuzzleReader.Describe(root)}.");
        var kind = String(root, "kind", source);
        return kind switch
        {
            "sudoku" => Sudoku(root, source),
            "maze" => Maze(root, source),
            "arc" => Arc(root, source),
            _ => throw new TrmException($"{source}: kind \"{kind}\" is not one this program draws; use sudoku, maze or arc."),
        };
    }

    static SudokuSolveRecord Sudoku(JsonElement root, string source)
    {
        var puzzle = String(root, "puzzle", source);
        var (geometry, _) = SudokuCells.Parse(puzzle, $"{source}, puzzle");
        string Cells(JsonElement owner, string where)
        {
            var text = String(owner, "answer", where);
            SudokuCells.Parse(text, geometry, $"{where}, answer");
            return text;
        }
        var answer = Cells(root, source);
        var steps = Steps(root, source, (step, where) => new SudokuSolveStep(Cells(step, where), Probability(step, where)));
        return new SudokuSolveRecord(puzzle, answer, Bool(root, "valid", source), OptionalString(root, "problem", source), StepsUsed(root, source, steps.Count), steps);
    }

    static MazeSolveRecord Maze(JsonElement root, string source)
    {
        var puzzle = Rows(root, "puzzle", source, shape: null);
        var shape = (puzzle.Count, puzzle[0].Length);
        var answer = Rows(root, "answer", source, shape);
        var steps = Steps(root, source, (step, where) => new MazeSolveStep(Rows(step, "answer", where, shape), Probability(step, where)));
        return new MazeSolveRecord(puzzle, answer, Bool(root, "valid", source), Bool(root, "shortest", source), OptionalString(root, "problem", source),
            StepsUsed(root, source, steps.Count), steps);
    }

    static ArcSolveRecord Arc(JsonElement root, string source)
    {
        var task = String(root, "task", source);
        var tests = List(root, "tests", source);
        if (tests.Count == 0) throw new TrmException($"{source}: \"tests\" is empty; an ARC record has one entry per test input.");
        if (tests.Count > MaxArcTests) throw new TrmException($"{source}: \"tests\" holds {tests.Count} entries, more than the limit of {MaxArcTests}.");
        var read = tests.Select((test, i) =>
        {
            var where = $"{source}, tests[{i}]";
            if (test.ValueKind != JsonValueKind.Object) throw new TrmException($"{where}: expected an object with input, expected, attempt_1, attempt_2 and steps, found {ArcPuzzleReader.Describe(test)}.");
            byte[,]? expected = test.TryGetProperty("expected", out var e) && e.ValueKind != JsonValueKind.Null ? ArcPuzzleReader.ReadGrid(e, $"{where}, expected") : null;
            var steps = test.TryGetProperty("steps", out _)
                ? Steps(test, where, (step, at) => new ArcSolveStep(Grid(step, "answer", at, emptyAllowed: true), Probability(step, at)))
                : [];
            return new ArcSolveTest(Grid(test, "input", where), expected, Grid(test, "attempt_1", where, emptyAllowed: true), Grid(test, "attempt_2", where, emptyAllowed: true), steps);
        }).ToList();
        return new ArcSolveRecord(task, read);
    }

    static List<T> Steps<T>(JsonElement owner, string where, Func<JsonElement, string, T> read)
    {
        var steps = List(owner, "steps", where);
        if (steps.Count > MaxSteps) throw new TrmException($"{where}: \"steps\" holds {steps.Count} steps, more than the limit of {MaxSteps}.");
        var result = new List<T>(steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            var at = $"{where}, steps[{i}]";
            if (steps[i].ValueKind != JsonValueKind.Object)
                throw new TrmException($"{at}: expected {{\"answer\": ..., \"halt_probability\": number}}, found {ArcPuzzleReader.Describe(steps[i])}.");
            result.Add(read(steps[i], at));
        }
        return result;
    }

    static int StepsUsed(JsonElement root, string source, int steps)
    {
        if (!root.TryGetProperty("steps_used", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int used))
            throw new TrmException($"{source}: \"steps_used\" must be an integer (the step whose answer was taken, 1-based).");
        if (steps == 0) throw new TrmException($"{source}: \"steps\" is empty; the record needs the answer after each supervision step.");
        if (used < 1 || used > steps) throw new TrmException($"{source}: \"steps_used\" is {used}, but there are {steps} steps; it must be 1..{steps}.");
        return used;
    }

    static double Probability(JsonElement step, string where)
    {
        if (!step.TryGetProperty("halt_probability", out var value) || value.ValueKind != JsonValueKind.Number || value.GetDouble() is not (>= 0 and <= 1))
            throw new TrmException($"{where}: \"halt_probability\" must be a number from 0 to 1.");
        return value.GetDouble();
    }

    // A model's answer may decode to no grid at all ([]), when it did not mark a grid's corner; inputs never do.
    static byte[,] Grid(JsonElement owner, string name, string where, bool emptyAllowed = false) =>
        !owner.TryGetProperty(name, out var value) ? throw new TrmException($"{where}: \"{name}\" is missing; expected a grid (a list of rows of colours 0..9).")
        : emptyAllowed && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0 ? new byte[0, 0]
        : ArcPuzzleReader.ReadGrid(value, $"{where}, {name}");

    static IReadOnlyList<string> Rows(JsonElement owner, string name, string where, (int Rows, int Columns)? shape)
    {
        var at = $"{where}, {name}";
        var list = List(owner, name, where);
        var rows = list.Select((row, r) => row.ValueKind == JsonValueKind.String ? row.GetString()!
            : throw new TrmException($"{at}[{r}]: expected a string of maze cells, found {ArcPuzzleReader.Describe(row)}.")).ToList();
        if (rows.Count > MaxMazeSide || rows.Count > 0 && rows[0].Length > MaxMazeSide)
            throw new TrmException($"{at}: a maze of {rows.Count}x{(rows.Count > 0 ? rows[0].Length : 0)} cells is larger than the limit of {MaxMazeSide} a side.");
        if (MazeText.Problem(rows) is { } problem) throw new TrmException($"{at}: {problem}.");
        if (shape is { } s && (rows.Count != s.Rows || rows[0].Length != s.Columns))
            throw new TrmException($"{at}: is {rows.Count}x{rows[0].Length} where the puzzle is {s.Rows}x{s.Columns}.");
        return rows;
    }

    static List<JsonElement> List(JsonElement owner, string name, string where)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw new TrmException($"{where}: \"{name}\" must be a list{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {ArcPuzzleReader.Describe(value)}")}.");
        return [.. value.EnumerateArray()];
    }

    static string String(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new TrmException($"{where}: \"{name}\" must be a string{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {ArcPuzzleReader.Describe(value)}")}.");

    static string? OptionalString(JsonElement owner, string name, string where) =>
        !owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw new TrmException($"{where}: \"{name}\" must be a string or null, found {ArcPuzzleReader.Describe(value)}.");

    static bool Bool(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new TrmException($"{where}: \"{name}\" must be true or false{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {ArcPuzzleReader.Describe(value)}")}.");
}
