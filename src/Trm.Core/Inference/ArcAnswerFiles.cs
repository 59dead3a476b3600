using System.Text.Json;
using Trm.IO;
using Trm.Puzzles.Arc;

namespace Trm.Inference;

/// <summary>
/// The ARC Prize submission format <c>trm solve arc --out</c> writes, atomically:
/// <c>{"&lt;task&gt;": [{"attempt_1": grid, "attempt_2": grid}, ...]}</c>, one entry per test input. (The record a renderer
/// reads is <see cref="ArcTaskAnswer.Record"/>.)
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

    static Dictionary<string, byte[,]> Attempts(ArcTestAnswer test) =>
        test.Attempts.Select((grid, i) => (Key: $"attempt_{i + 1}", grid)).ToDictionary(a => a.Key, a => a.grid);
}
