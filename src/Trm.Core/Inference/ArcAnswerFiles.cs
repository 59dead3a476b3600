using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.IO;
using Trm.Puzzles.Arc;

namespace Trm.Inference;

/// <summary>
/// What <c>trm solve arc</c> writes, each file atomically: the ARC Prize submission format
/// (<c>{"&lt;task&gt;": [{"attempt_1": grid, "attempt_2": grid}, ...]}</c>, one entry per test input) and the record a
/// renderer reads (<c>{"kind": "arc", "task", "tests": [{"input", "expected", "attempt_1", "attempt_2", "steps": [{"answer", "halt_probability"}]}]}</c>).
/// </summary>
public static class ArcAnswerFiles
{
    static readonly JsonSerializerOptions Json = new() { Converters = { new ArcGridJsonConverter() } };

    public static void WriteSubmission(string path, ArcTaskAnswer answer)
    {
        var submission = new Dictionary<string, List<Dictionary<string, byte[,]>>>
        {
            [answer.TaskId] = [.. answer.Tests.Select(Attempts)],
        };
        AtomicOutput.WriteFile(path, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(submission, Json)));
    }

    public static void WriteRecord(string path, ArcTaskAnswer answer)
    {
        var record = new Record("arc", answer.TaskId, [.. answer.Tests.Select(t => new TestRecord(t.Input, t.Expected, t.Attempts[0], t.Attempts[1],
            [.. t.Steps.Select(s => new StepRecord(s.Answer, s.HaltProbability))]))]);
        AtomicOutput.WriteFile(path, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(record, Json)));
    }

    static Dictionary<string, byte[,]> Attempts(ArcTestAnswer test) =>
        test.Attempts.Select((grid, i) => (Key: $"attempt_{i + 1}", grid)).ToDictionary(a => a.Key, a => a.grid);

    sealed record Record([property: JsonPropertyName("kind")] string Kind, [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("tests")] IReadOnlyList<TestRecord> Tests);

    sealed record TestRecord([property: JsonPropertyName("input")] byte[,] Input, [property: JsonPropertyName("expected")] byte[,]? Expected,
        [property: JsonPropertyName("attempt_1")] byte[,] Attempt1, [property: JsonPropertyName("attempt_2")] byte[,] Attempt2,
        [property: JsonPropertyName("steps")] IReadOnlyList<StepRecord> Steps);

    sealed record StepRecord([property: JsonPropertyName("answer")] byte[,] Answer, [property: JsonPropertyName("halt_probability")] double HaltProbability);
}
