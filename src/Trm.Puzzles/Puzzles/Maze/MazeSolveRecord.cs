using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>A maze's solve record: rows of <c>#</c> wall, space, <c>S</c>, <c>G</c>, <c>o</c> path.</summary>
public sealed record MazeSolveRecord(
    [property: JsonPropertyName("puzzle")] IReadOnlyList<string> Puzzle,
    [property: JsonPropertyName("answer")] IReadOnlyList<string> Answer,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("shortest")] bool Shortest,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("steps_used")] int StepsUsed,
    [property: JsonPropertyName("steps")] IReadOnlyList<MazeSolveStep> Steps) : SolveRecord(MazeKind.Name)
{
    public override int StepCount() => Steps.Count;

    /// <summary>Reads one (the object, <c>"kind"</c> read); every answer must be a maze of the puzzle's shape, at most <see cref="MazeText.MaxSide"/> a side.</summary>
    public static MazeSolveRecord Read(JsonElement root, string source)
    {
        var puzzle = Rows(root, "puzzle", source, shape: null);
        var shape = (puzzle.Count, puzzle[0].Length);
        var answer = Rows(root, "answer", source, shape);
        var steps = RecordFields.Steps(root, source, (step, where) => new MazeSolveStep(Rows(step, "answer", where, shape), RecordFields.Probability(step, where)));
        return new MazeSolveRecord(puzzle, answer, RecordFields.Bool(root, "valid", source), RecordFields.Bool(root, "shortest", source),
            RecordFields.OptionalString(root, "problem", source), RecordFields.StepsUsed(root, source, steps.Count), steps);
    }

    static IReadOnlyList<string> Rows(JsonElement owner, string name, string where, (int Rows, int Columns)? shape)
    {
        var at = $"{where}, {name}";
        var list = RecordFields.List(owner, name, where);
        var rows = list.Select((row, r) => row.ValueKind == JsonValueKind.String ? row.GetString()!
            : throw new TrmException($"{at}[{r}]: expected a string of maze cells, found {JsonFile.Describe(row)}.")).ToList();
        if (MazeText.Problem(rows) is { } problem) throw new TrmException($"{at}: {problem}.");
        if (shape is { } s && (rows.Count != s.Rows || rows[0].Length != s.Columns))
            throw new TrmException($"{at}: is {rows.Count}x{rows[0].Length} where the puzzle is {s.Rows}x{s.Columns}.");
        return rows;
    }
}

public sealed record MazeSolveStep(
    [property: JsonPropertyName("answer")] IReadOnlyList<string> Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);
