using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trm.Puzzles.Sudoku;

/// <summary>A Sudoku's solve record: cells row by row, <c>.</c> for blanks.</summary>
public sealed record SudokuSolveRecord(
    [property: JsonPropertyName("puzzle")] string Puzzle,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("steps_used")] int StepsUsed,
    [property: JsonPropertyName("steps")] IReadOnlyList<SudokuSolveStep> Steps) : SolveRecord(SudokuKind.Name)
{
    public override int StepCount() => Steps.Count;

    /// <summary>Reads one (the object, <c>"kind"</c> read); each grid must be a Sudoku, the answers of the puzzle's size.</summary>
    public static SudokuSolveRecord Read(JsonElement root, string source)
    {
        var puzzle = RecordFields.String(root, "puzzle", source);
        var (geometry, _) = SudokuCells.Parse(puzzle, $"{source}, puzzle");
        string Cells(JsonElement owner, string where)
        {
            var text = RecordFields.String(owner, "answer", where);
            SudokuCells.Parse(text, geometry, $"{where}, answer");
            return text;
        }
        var answer = Cells(root, source);
        var steps = RecordFields.Steps(root, source, (step, where) => new SudokuSolveStep(Cells(step, where), RecordFields.Probability(step, where)));
        return new SudokuSolveRecord(puzzle, answer, RecordFields.Bool(root, "valid", source), RecordFields.OptionalString(root, "problem", source),
            RecordFields.StepsUsed(root, source, steps.Count), steps);
    }
}

public sealed record SudokuSolveStep(
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);
