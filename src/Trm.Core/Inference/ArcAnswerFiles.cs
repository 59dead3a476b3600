using System.Text.Json;
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

    /// <summary>The renderer's record of an answer: per test input its attempts and the un-augmented copy's steps.</summary>
    public static ArcSolveRecord Record(ArcTaskAnswer answer) =>
        new(answer.TaskId, [.. answer.Tests.Select(t => new ArcSolveTest(t.Input, t.Expected, t.Attempts[0], t.Attempts[1],
            [.. t.Steps.Select(s => new ArcSolveStep(s.Answer, s.HaltProbability))]))]);

    public static void WriteRecord(string path, ArcTaskAnswer answer) => JsonFile.Write<SolveRecord>(path, Record(answer));

    static Dictionary<string, byte[,]> Attempts(ArcTestAnswer test) =>
        test.Attempts.Select((grid, i) => (Key: $"attempt_{i + 1}", grid)).ToDictionary(a => a.Key, a => a.grid);
}
