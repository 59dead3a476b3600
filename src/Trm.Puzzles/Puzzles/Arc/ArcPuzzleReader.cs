using System.Text.Json;
using Trm.IO;

namespace Trm.Puzzles.Arc;

/// <summary>
/// Reads ARC puzzle files: <c>&lt;prefix&gt;_&lt;subset&gt;_challenges.json</c> (puzzle id -> {"train": [{"input", "output"}],
/// "test": [{"input"}]}) and <c>_solutions.json</c> (puzzle id -> test output grids in order). Every grid is checked
/// (1..30 rows of 1..30 cells, all rows equally long, colours 0..9); errors name the file, the puzzle and the grid.
/// </summary>
public static class ArcPuzzleReader
{
    public const int MaxGridSize = 30;

    /// <summary>Most pairs a task's "train" or "test" list may hold (ARC tasks have 2 to 10 and 1 to 4).</summary>
    public const int MaxPairs = 256;

    /// <summary>Largest JSON file read (64 MiB; ARC-AGI-2's 1000 training tasks take about 10 MB).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>The name errors give <see cref="ReadTask"/>'s task id setting by (a front end maps it to its own, e.g. a flag).</summary>
    public const string TaskIdSetting = "TaskId";

    /// <summary>The test output the reference gives a test pair whose solution is unknown.</summary>
    public static byte[,] DummyOutput => new byte[1, 1];

    public static string ChallengesPath(string prefix, string subset) => $"{prefix}_{subset}_challenges.json";

    public static string SolutionsPath(string prefix, string subset) => $"{prefix}_{subset}_solutions.json";

    /// <summary>
    /// Reads one subset with its solutions merged into the test pairs. Without a solutions file every test pair
    /// keeps the output its challenges entry has, or gets <see cref="DummyOutput"/> (<see cref="ArcSubset.HasSolutions"/> false).
    /// </summary>
    public static ArcSubset ReadSubset(string prefix, string subset)
    {
        var challengesPath = ChallengesPath(prefix, subset);
        if (UserFile.IsMissing(challengesPath))
            throw new TrmSettingsException(name => $"{challengesPath} not found: subset '{subset}' needs it ({name(nameof(ArcBuildOptions.InputPrefix))} {prefix} names <prefix>_<subset>_challenges.json).");
        var puzzles = ReadChallenges(challengesPath);
        if (puzzles.Count == 0) throw new TrmException($"{challengesPath}: holds no puzzles.");
        var solutionsPath = SolutionsPath(prefix, subset);
        if (UserFile.IsMissing(solutionsPath)) return new ArcSubset(subset, puzzles, HasSolutions: false);
        return new ArcSubset(subset, MergeSolutions(puzzles, solutionsPath, challengesPath), HasSolutions: true);
    }

    /// <summary>
    /// Reads a file in the challenges format, in file order. Test pairs may carry an <c>output</c> (as in the
    /// <c>test_puzzles.json</c> a build writes); those that do not get <see cref="DummyOutput"/>.
    /// </summary>
    public static IReadOnlyList<ArcPuzzle> ReadChallenges(string path)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{path}: expected an object mapping puzzle ids to {{\"train\": [...], \"test\": [...]}}, found {JsonFile.Describe(root)}.");
        var puzzles = new List<ArcPuzzle>();
        foreach (var entry in root.EnumerateObject())
        {
            var where = $"{path}: puzzle {entry.Name}";
            if (entry.Value.ValueKind != JsonValueKind.Object)
                throw new TrmException($"{where}: expected an object with \"train\" and \"test\" lists, found {JsonFile.Describe(entry.Value)}.");
            var train = ReadPairs(entry.Value, "train", where, outputRequired: true);
            var test = ReadPairs(entry.Value, "test", where, outputRequired: false);
            bool testFirst = entry.Value.EnumerateObject().First(p => p.NameEquals("train") || p.NameEquals("test")).NameEquals("test");
            puzzles.Add(new ArcPuzzle(entry.Name, train, test, testFirst));
        }
        return puzzles;
    }

    /// <summary>
    /// Reads one task, the one reader for solving and drawing: a task file <c>{"train": [...], "test": [{"input", "output"?}]}</c>
    /// named <paramref name="taskId"/> (default: the file name), or a challenges file (id -&gt; task) from which
    /// <paramref name="taskId"/> is taken (the only entry when it is null). A challenges file's expected test outputs come
    /// from the <c>_solutions.json</c> beside <c>X_challenges.json</c> when that file has the task. Test pairs without an
    /// output get <see cref="DummyOutput"/> and a null entry in <see cref="ArcTask.Expected"/>. Errors name the file; a
    /// missing or unusable id is a <see cref="TrmSettingsException"/> naming <see cref="TaskIdSetting"/>.
    /// </summary>
    public static ArcTask ReadTask(string path, string? taskId = null)
    {
        if (UserFile.IsMissing(path))
            throw new TrmException($"{path} not found: expected an ARC task file ({{\"train\": [...], \"test\": [...]}}) or a challenges file of tasks by id.");
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{path}: expected an ARC task {{\"train\": [...], \"test\": [...]}} or an object of tasks by id, found {JsonFile.Describe(root)}.");
        var task = root;
        string id;
        bool challenges = !root.TryGetProperty("train", out _) && !root.TryGetProperty("test", out _);
        if (challenges)
        {
            var ids = root.EnumerateObject().Select(p => p.Name).ToList();
            if (ids.Count == 0) throw new TrmException($"{path}: holds no task (expected {{\"train\": [...], \"test\": [...]}}).");
            if (taskId is null && ids.Count > 1)
                throw new TrmSettingsException(TaskIdSetting, $"is needed: {path} holds {ids.Count} tasks ({string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", ..." : "")}); choose one");
            id = taskId ?? ids[0];
            if (!root.TryGetProperty(id, out task)) throw new TrmException($"{path}: has no task '{id}'; ids look like '{ids[0]}'.");
            if (task.ValueKind != JsonValueKind.Object)
                throw new TrmException($"{path}: task {id}: expected an object with \"train\" and \"test\" lists, found {JsonFile.Describe(task)}.");
        }
        else id = taskId ?? Path.GetFileNameWithoutExtension(path);
        RequireTaskId(id, taskId is null ? $"is needed: {path} gives" : "is");
        return Task(task, id, $"{path}: task {id}", tests => challenges ? Solutions(path, id, tests) : null);
    }

    /// <summary>
    /// One task given as JSON text, <c>{"train": [...], "test": [{"input", "output"?}]}</c>, named <paramref name="id"/>; errors
    /// name the task. The text is a caller's (a web request's): its size is the caller's to bound.
    /// </summary>
    public static ArcTask ParseTask(string json, string id)
    {
        RequireTaskId(id, "is");
        var where = $"task {id}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TrmException($"{where}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new TrmException($"{where}: expected an ARC task {{\"train\": [...], \"test\": [...]}}, found {JsonFile.Describe(document.RootElement)}.");
            return Task(document.RootElement, id, where, _ => null);
        }
    }

    /// <summary>Refuses an id no identifier can carry (empty, or holding the augmentation separator); <paramref name="lead"/> opens the message.</summary>
    static void RequireTaskId(string id, string lead)
    {
        if (id.Length == 0 || id.Contains(ArcAugmentation.Separator))
            throw new TrmSettingsException(TaskIdSetting, $"{lead} '{id}', which cannot be a task id (empty, or containing {ArcAugmentation.Separator})");
    }

    /// <param name="solutions">The test outputs a solutions file gives, by the number of test pairs; null where there is none.</param>
    static ArcTask Task(JsonElement task, string id, string where, Func<int, List<byte[,]>?> solutions)
    {
        var hasOutput = new List<bool>();
        var train = ReadPairs(task, "train", where, outputRequired: true);
        var test = ReadPairs(task, "test", where, outputRequired: false, hasOutput);
        var given = solutions(test.Count);
        var expected = test.Select((pair, i) => given?[i] ?? (hasOutput[i] ? pair.Output : null)).ToList();
        if (given is not null) test = [.. test.Select((pair, i) => pair with { Output = given[i] })];
        bool testFirst = task.EnumerateObject().First(p => p.NameEquals("train") || p.NameEquals("test")).NameEquals("test");
        return new ArcTask(new ArcPuzzle(id, train, test, testFirst), expected);
    }

    /// <summary>The task's test outputs from <c>X_solutions.json</c> beside <c>X_challenges.json</c>; null without that file or the task in it.</summary>
    static List<byte[,]>? Solutions(string challengesPath, string id, int tests)
    {
        const string suffix = "_challenges.json";
        if (!challengesPath.EndsWith(suffix, StringComparison.Ordinal)) return null;
        var path = challengesPath[..^suffix.Length] + "_solutions.json";
        if (UserFile.IsMissing(path)) return null;
        using var document = ParseSolutions(path);
        return document.RootElement.TryGetProperty(id, out var solutions) ? ReadSolutions(solutions, $"{path}: puzzle {id}", tests, challengesPath) : null;
    }

    static List<ArcPuzzle> MergeSolutions(IReadOnlyList<ArcPuzzle> puzzles, string solutionsPath, string challengesPath)
    {
        using var document = ParseSolutions(solutionsPath);
        var root = document.RootElement;
        var merged = new List<ArcPuzzle>(puzzles.Count);
        foreach (var puzzle in puzzles)
        {
            var where = $"{solutionsPath}: puzzle {puzzle.Id}";
            if (!root.TryGetProperty(puzzle.Id, out var solutions))
                throw new TrmException($"{where} is missing (it is in {challengesPath}); the solutions file must give every puzzle's test outputs.");
            var outputs = ReadSolutions(solutions, where, puzzle.Test.Count, challengesPath);
            merged.Add(puzzle with { Test = [.. puzzle.Test.Select((pair, i) => pair with { Output = outputs[i] })] });
        }
        return merged;
    }

    /// <summary>A solutions file: an object of puzzle ids.</summary>
    static JsonDocument ParseSolutions(string path)
    {
        var document = Parse(path);
        if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
        var found = JsonFile.Describe(document.RootElement);
        document.Dispose();
        throw new TrmException($"{path}: expected an object mapping puzzle ids to lists of test output grids, found {found}.");
    }

    /// <summary>One puzzle's entry of a solutions file: a test output grid for each of its <paramref name="tests"/> test inputs, in order.</summary>
    static List<byte[,]> ReadSolutions(JsonElement solutions, string where, int tests, string challengesPath)
    {
        if (solutions.ValueKind != JsonValueKind.Array)
            throw new TrmException($"{where}: expected a list of test output grids, found {JsonFile.Describe(solutions)}.");
        if (solutions.GetArrayLength() != tests)
            throw new TrmException($"{where}: {solutions.GetArrayLength()} solutions for {tests} test inputs in {challengesPath}.");
        return [.. solutions.EnumerateArray().Select((grid, i) => ReadGrid(grid, $"{where}, solution[{i}]"))];
    }

    internal static JsonDocument Parse(string path) => JsonFile.ReadDocument(path, MaxFileBytes, "a JSON file of ARC tasks, solutions or predictions");

    /// <param name="hasOutput">When given, receives per pair whether the file gave its output.</param>
    internal static List<ArcPair> ReadPairs(JsonElement puzzle, string kind, string where, bool outputRequired, List<bool>? hasOutput = null)
    {
        if (!puzzle.TryGetProperty(kind, out var list) || list.ValueKind != JsonValueKind.Array)
            throw new TrmException($"{where}: \"{kind}\" must be a list of {{\"input\": grid{(outputRequired ? ", \"output\": grid" : "")}}} pairs.");
        if (list.GetArrayLength() == 0)
            throw new TrmException($"{where}: \"{kind}\" is empty; every ARC puzzle needs at least one {kind} pair.");
        if (list.GetArrayLength() > MaxPairs)
            throw new TrmException($"{where}: \"{kind}\" holds {list.GetArrayLength()} pairs, more than the limit of {MaxPairs}; ARC tasks have a few.");
        var pairs = new List<ArcPair>();
        int index = 0;
        foreach (var pair in list.EnumerateArray())
        {
            var name = $"{where}, {kind}[{index++}]";
            if (pair.ValueKind != JsonValueKind.Object || !pair.TryGetProperty("input", out var input))
                throw new TrmException($"{name}: expected {{\"input\": grid, ...}}, found {JsonFile.Describe(pair)}.");
            bool given = pair.TryGetProperty("output", out var outputElement);
            if (!given && outputRequired) throw new TrmException($"{name}: the pair has no \"output\" grid.");
            var output = given ? ReadGrid(outputElement, $"{name}.output") : DummyOutput;
            hasOutput?.Add(given);
            pairs.Add(new ArcPair(ReadGrid(input, $"{name}.input"), output));
        }
        return pairs;
    }

    internal static byte[,] ReadGrid(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
            throw new TrmException($"{where}: expected a grid (a non-empty list of rows), found {JsonFile.Describe(element)}.");
        int rows = element.GetArrayLength();
        var first = element[0];
        int columns = first.ValueKind == JsonValueKind.Array ? first.GetArrayLength() : 0;
        if (columns == 0) throw new TrmException($"{where}: row 0 must be a non-empty list of colours, found {JsonFile.Describe(first)}.");
        if (rows > MaxGridSize || columns > MaxGridSize)
            throw new TrmException($"{where}: the grid is {rows}x{columns}; ARC grids are at most {MaxGridSize}x{MaxGridSize}.");
        var grid = new byte[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            var row = element[r];
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != columns)
                throw new TrmException($"{where}: row {r} has {(row.ValueKind == JsonValueKind.Array ? $"{row.GetArrayLength()} cells" : JsonFile.Describe(row))} where row 0 has {columns} (ragged rows).");
            for (int c = 0; c < columns; c++)
            {
                var cell = row[c];
                if (cell.ValueKind != JsonValueKind.Number || !cell.TryGetInt32(out int colour) || colour is < 0 or > 9)
                    throw new TrmException($"{where}: cell ({r}, {c}) is {cell.GetRawText()}; colours are integers 0..9.");
                grid[r, c] = (byte)colour;
            }
        }
        return grid;
    }

}
