using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.Puzzles.Arc;

namespace Trm.Inference;

/// <summary>
/// What a solve records about one puzzle (the JSON <c>trm solve</c> writes): the question, the model's answer, whether it is
/// right, and the answer after every supervision step with the Q head's halting probability. The JSON has a
/// <c>"kind"</c> (<c>sudoku</c>, <c>maze</c>, <c>arc</c>) and the snake_case fields of the kind's record.
/// <see cref="SolveRecordReader"/> reads it with errors that name the field; <see cref="ToJson"/> writes it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SudokuSolveRecord), "sudoku")]
[JsonDerivedType(typeof(MazeSolveRecord), "maze")]
[JsonDerivedType(typeof(ArcSolveRecord), "arc")]
public abstract record SolveRecord
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <inheritdoc cref="SolveRecordReader.Read"/>
    public static SolveRecord Read(string path) => SolveRecordReader.Read(path);
}

/// <summary>A Sudoku: cells row by row, <c>.</c> for blanks.</summary>
public sealed record SudokuSolveRecord(
    [property: JsonPropertyName("puzzle")] string Puzzle,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("steps_used")] int StepsUsed,
    [property: JsonPropertyName("steps")] IReadOnlyList<SudokuSolveStep> Steps) : SolveRecord;

public sealed record SudokuSolveStep(
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);

/// <summary>A maze: rows of <c>#</c> wall, space, <c>S</c>, <c>G</c>, <c>o</c> path.</summary>
public sealed record MazeSolveRecord(
    [property: JsonPropertyName("puzzle")] IReadOnlyList<string> Puzzle,
    [property: JsonPropertyName("answer")] IReadOnlyList<string> Answer,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("shortest")] bool Shortest,
    [property: JsonPropertyName("problem")] string? Problem,
    [property: JsonPropertyName("steps_used")] int StepsUsed,
    [property: JsonPropertyName("steps")] IReadOnlyList<MazeSolveStep> Steps) : SolveRecord;

public sealed record MazeSolveStep(
    [property: JsonPropertyName("answer")] IReadOnlyList<string> Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);

/// <summary>An ARC task: per test input the two submitted attempts and the trajectory of its un-augmented copy (may be empty).</summary>
public sealed record ArcSolveRecord(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("tests")] IReadOnlyList<ArcSolveTest> Tests) : SolveRecord;

public sealed record ArcSolveTest(
    [property: JsonPropertyName("input"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Input,
    [property: JsonPropertyName("expected"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,]? Expected,
    [property: JsonPropertyName("attempt_1"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Attempt1,
    [property: JsonPropertyName("attempt_2"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Attempt2,
    [property: JsonPropertyName("steps")] IReadOnlyList<ArcSolveStep> Steps);

public sealed record ArcSolveStep(
    [property: JsonPropertyName("answer"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);
