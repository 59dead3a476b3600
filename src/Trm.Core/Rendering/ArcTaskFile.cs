using System.Text.Json;
using Trm.Puzzles.Arc;

namespace Trm.Rendering;

/// <summary>
/// Reads one ARC task to draw, from either layout: a task file <c>{"train": [...], "test": [...]}</c> (its id is the file
/// name; test pairs may carry their "output"), or a combined challenges file (id -> task, as in ARC Prize's
/// <c>arc-agi_training_challenges.json</c>) with the task named, its expected test outputs taken from the
/// <c>_solutions.json</c> beside it when there is one.
/// </summary>
public static class ArcTaskFile
{
    public static ArcTaskView Read(string path, string? taskId = null)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found: pass an ARC task file ({{\"train\": [...], \"test\": [...]}}) or a *_challenges.json file with --task ID.");
        using var document = ArcPuzzleReader.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{path}: expected an ARC task {{\"train\": [...], \"test\": [...]}} or an object of tasks by id, found {ArcPuzzleReader.Describe(root)}.");
        if (root.TryGetProperty("train", out _) || root.TryGetProperty("test", out _))
            return Task(root, taskId ?? Path.GetFileNameWithoutExtension(path), path, solutions: null);

        if (taskId is null)
            throw new TrmException($"{path} holds {root.EnumerateObject().Count()} tasks; choose one with --task ID (e.g. --task {root.EnumerateObject().FirstOrDefault().Name}).");
        if (!root.TryGetProperty(taskId, out var task))
            throw new TrmException($"{path}: has no task '{taskId}'; ids look like '{root.EnumerateObject().FirstOrDefault().Name}'.");
        return Task(task, taskId, $"{path}: task {taskId}", Solutions(path, taskId));
    }

    static ArcTaskView Task(JsonElement task, string id, string where, IReadOnlyList<byte[,]>? solutions)
    {
        if (task.ValueKind != JsonValueKind.Object) throw new TrmException($"{where}: expected {{\"train\": [...], \"test\": [...]}}, found {ArcPuzzleReader.Describe(task)}.");
        var train = ArcPuzzleReader.ReadPairs(task, "train", where, outputRequired: true);
        var test = ArcPuzzleReader.ReadPairs(task, "test", where, outputRequired: false);
        if (solutions is not null && solutions.Count != test.Count)
            throw new TrmException($"{where}: the solutions file gives {solutions.Count} outputs for {test.Count} test inputs.");
        var hasOutput = task.GetProperty("test").EnumerateArray().Select(pair => pair.TryGetProperty("output", out _)).ToList();
        var tests = test.Select((pair, i) => new ArcTestView(pair.Input, solutions?[i] ?? (hasOutput[i] ? pair.Output : null), [])).ToList();
        return new ArcTaskView(id, train, tests);
    }

    /// <summary>The task's expected test outputs from <c>X_solutions.json</c> beside <c>X_challenges.json</c>, or null when there is none.</summary>
    static List<byte[,]>? Solutions(string challengesPath, string taskId)
    {
        const string suffix = "_challenges.json";
        if (!challengesPath.EndsWith(suffix, StringComparison.Ordinal)) return null;
        var path = challengesPath[..^suffix.Length] + "_solutions.json";
        if (!File.Exists(path)) return null;
        using var document = ArcPuzzleReader.Parse(path);
        if (!document.RootElement.TryGetProperty(taskId, out var outputs)) return null;
        if (outputs.ValueKind != JsonValueKind.Array) throw new TrmException($"{path}: task {taskId}: expected a list of test output grids, found {ArcPuzzleReader.Describe(outputs)}.");
        return [.. outputs.EnumerateArray().Select((grid, i) => ArcPuzzleReader.ReadGrid(grid, $"{path}: task {taskId}, output {i}"))];
    }
}
