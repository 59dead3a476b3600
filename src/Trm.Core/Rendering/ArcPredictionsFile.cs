using Trm.IO;
using System.Text.Json;
using Trm.Puzzles.Arc;

namespace Trm.Rendering;

/// <summary>
/// Reads a task's attempts from an ARC Prize submission (<c>{"task_id": [{"attempt_1": grid, "attempt_2": grid}, ...]}</c>,
/// one entry per test input, as <c>trm eval</c> writes it) into the task's test views. A task the file does not cover is a
/// <see cref="TrmSettingsException"/> naming <see cref="ArcPuzzleReader.TaskIdSetting"/>, the setting that names the task.
/// </summary>
public static class ArcPredictionsFile
{
    public static ArcTaskView AddAttempts(ArcTaskView task, string path)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found: expected a submission.json ({{\"task_id\": [{{\"attempt_1\": grid, \"attempt_2\": grid}}]}}).");
        using var document = ArcPuzzleReader.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{path}: expected an object mapping task ids to lists of {{\"attempt_1\": grid, ...}}, found {JsonFile.Describe(root)}.");
        if (!root.TryGetProperty(task.Id, out var entries))
        {
            var ids = root.EnumerateObject().Select(p => p.Name).Take(5).ToList();
            throw new TrmSettingsException(ArcPuzzleReader.TaskIdSetting, $"should name a task the predictions cover: {path} has no predictions for task '{task.Id}' " +
                $"(it has {(ids.Count == 0 ? "none" : string.Join(", ", ids) + (root.EnumerateObject().Count() > 5 ? ", ..." : ""))}); or rename the task file to its id");
        }
        if (entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() != task.Tests.Count)
            throw new TrmException($"{path}: task {task.Id}: expected a list of {task.Tests.Count} entries (one per test input), found {JsonFile.Describe(entries)}.");
        var tests = task.Tests.Select((test, i) => test with { Attempts = Attempts(entries[i], $"{path}: task {task.Id}, test {i}") }).ToList();
        return task with { Tests = tests };
    }

    static List<byte[,]> Attempts(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw new TrmException($"{where}: expected {{\"attempt_1\": grid, \"attempt_2\": grid}}, found {JsonFile.Describe(entry)}.");
        var attempts = new List<byte[,]>();
        for (int n = 1; entry.TryGetProperty($"attempt_{n}", out var grid); n++)
            if (grid.ValueKind != JsonValueKind.Null) attempts.Add(ArcPuzzleReader.ReadGrid(grid, $"{where}, attempt_{n}"));
        if (attempts.Count == 0) throw new TrmException($"{where}: has no \"attempt_1\" grid.");
        return attempts;
    }
}
