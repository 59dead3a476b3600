using System.Text.Json;
using Trm.IO;

namespace Trm.Puzzles;

/// <summary>
/// The fields every kind's solve record shares, read with errors that name the file, the field (e.g. <c>steps[3].answer</c>)
/// and what it should hold; each kind reads its own fields with these.
/// </summary>
public static class RecordFields
{
    /// <summary>The <c>steps</c> list, each step an object read by <paramref name="read"/> (given the step and where it is), at most <see cref="SolveRecord.MaxSteps"/>.</summary>
    public static List<T> Steps<T>(JsonElement owner, string where, Func<JsonElement, string, T> read)
    {
        var steps = List(owner, "steps", where);
        if (steps.Count > SolveRecord.MaxSteps) throw new TrmException($"{where}: \"steps\" holds {steps.Count} steps, more than the limit of {SolveRecord.MaxSteps}.");
        var result = new List<T>(steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            var at = $"{where}, steps[{i}]";
            if (steps[i].ValueKind != JsonValueKind.Object)
                throw new TrmException($"{at}: expected {{\"answer\": ..., \"halt_probability\": number}}, found {JsonFile.Describe(steps[i])}.");
            result.Add(read(steps[i], at));
        }
        return result;
    }

    /// <summary><c>steps_used</c>: the 1-based step whose answer was taken, within the <paramref name="steps"/> the record holds.</summary>
    public static int StepsUsed(JsonElement root, string source, int steps)
    {
        if (!root.TryGetProperty("steps_used", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int used))
            throw new TrmException($"{source}: \"steps_used\" must be an integer (the step whose answer was taken, 1-based).");
        if (steps == 0) throw new TrmException($"{source}: \"steps\" is empty; the record needs the answer after each supervision step.");
        if (used < 1 || used > steps) throw new TrmException($"{source}: \"steps_used\" is {used}, but there are {steps} steps; it must be 1..{steps}.");
        return used;
    }

    /// <summary>A step's <c>halt_probability</c>, a number from 0 to 1.</summary>
    public static double Probability(JsonElement step, string where, string name = "halt_probability")
    {
        if (!step.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || value.GetDouble() is not (>= 0 and <= 1))
            throw new TrmException($"{where}: \"{name}\" must be a number from 0 to 1.");
        return value.GetDouble();
    }

    /// <summary>The optional <c>runs</c> of a record made with test-time compute (<see cref="RunAnswer"/>); null when absent.</summary>
    public static IReadOnlyList<RunAnswer>? Runs(JsonElement root, string source)
    {
        if (!root.TryGetProperty("runs", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var list = List(root, "runs", source);
        if (list.Count > SolveRecord.MaxSteps * 16) throw new TrmException($"{source}: \"runs\" holds {list.Count} answers, more than the limit of {SolveRecord.MaxSteps * 16}.");
        return [.. list.Select((run, i) =>
        {
            var at = $"{source}, runs[{i}]";
            if (run.ValueKind != JsonValueKind.Object || !run.TryGetProperty("runs", out var count) || !count.TryGetInt32(out int runs) || runs < 1)
                throw new TrmException($"{at}: expected {{\"runs\": a positive integer, \"mean_halt_probability\", \"right\", \"chosen\"}}.");
            bool? right = run.TryGetProperty("right", out var r) && r.ValueKind != JsonValueKind.Null ? Bool(run, "right", at) : null;
            return new RunAnswer(runs, Probability(run, at, "mean_halt_probability"), right, Bool(run, "chosen", at));
        })];
    }

    public static List<JsonElement> List(JsonElement owner, string name, string where)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
            throw new TrmException($"{where}: \"{name}\" must be a list{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {JsonFile.Describe(value)}")}.");
        return [.. value.EnumerateArray()];
    }

    public static string String(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new TrmException($"{where}: \"{name}\" must be a string{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {JsonFile.Describe(value)}")}.");

    public static string? OptionalString(JsonElement owner, string name, string where) =>
        !owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw new TrmException($"{where}: \"{name}\" must be a string or null, found {JsonFile.Describe(value)}.");

    public static bool Bool(JsonElement owner, string name, string where) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new TrmException($"{where}: \"{name}\" must be true or false{(value.ValueKind == JsonValueKind.Undefined ? " and is missing" : $", found {JsonFile.Describe(value)}")}.");
}
