using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.IO;

namespace Trm.Puzzles.Arc;

/// <summary>An ARC task's solve record: per test input the two submitted attempts and the trajectory of its un-augmented copy (may be empty).</summary>
public sealed record ArcSolveRecord(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("tests")] IReadOnlyList<ArcSolveTest> Tests) : SolveRecord(ArcKind.Name)
{
    /// <summary>Most test inputs a record may hold (ARC tasks have 1 to 3).</summary>
    public const int MaxTests = 64;

    public override int StepCount() => Tests.Max(t => t.Steps.Count);

    /// <summary>Reads one (the object, <c>"kind"</c> read); every grid is checked as a task file's are.</summary>
    public static ArcSolveRecord Read(JsonElement root, string source)
    {
        var task = RecordFields.String(root, "task", source);
        var tests = RecordFields.List(root, "tests", source);
        if (tests.Count == 0) throw new TrmException($"{source}: \"tests\" is empty; an ARC record has one entry per test input.");
        if (tests.Count > MaxTests) throw new TrmException($"{source}: \"tests\" holds {tests.Count} entries, more than the limit of {MaxTests}.");
        var read = tests.Select((test, i) =>
        {
            var where = $"{source}, tests[{i}]";
            if (test.ValueKind != JsonValueKind.Object) throw new TrmException($"{where}: expected an object with input, expected, attempt_1, attempt_2 and steps, found {JsonFile.Describe(test)}.");
            byte[,]? expected = test.TryGetProperty("expected", out var e) && e.ValueKind != JsonValueKind.Null ? ArcPuzzleReader.ReadGrid(e, $"{where}, expected") : null;
            var steps = test.TryGetProperty("steps", out _)
                ? RecordFields.Steps(test, where, (step, at) => new ArcSolveStep(Grid(step, "answer", at, emptyAllowed: true), RecordFields.Probability(step, at)))
                : [];
            return new ArcSolveTest(Grid(test, "input", where), expected, Grid(test, "attempt_1", where, emptyAllowed: true), Grid(test, "attempt_2", where, emptyAllowed: true), steps);
        }).ToList();
        return new ArcSolveRecord(task, read);
    }

    // A model's answer may decode to no grid at all ([]), when it did not mark a grid's corner; inputs never do.
    static byte[,] Grid(JsonElement owner, string name, string where, bool emptyAllowed = false) =>
        !owner.TryGetProperty(name, out var value) ? throw new TrmException($"{where}: \"{name}\" is missing; expected a grid (a list of rows of colours 0..9).")
        : emptyAllowed && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0 ? new byte[0, 0]
        : ArcPuzzleReader.ReadGrid(value, $"{where}, {name}");
}

public sealed record ArcSolveTest(
    [property: JsonPropertyName("input"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Input,
    [property: JsonPropertyName("expected"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,]? Expected,
    [property: JsonPropertyName("attempt_1"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Attempt1,
    [property: JsonPropertyName("attempt_2"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Attempt2,
    [property: JsonPropertyName("steps")] IReadOnlyList<ArcSolveStep> Steps);

public sealed record ArcSolveStep(
    [property: JsonPropertyName("answer"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Answer,
    [property: JsonPropertyName("halt_probability")] double HaltProbability);
