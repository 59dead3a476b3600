using System.Text;
using System.Text.Json;
using Trm.Model;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Sudoku;
using Trm.Solving;

namespace Trm.Serving;

/// <summary>
/// The body of <c>POST /v1/solve</c>: <c>puzzle</c> (the text <c>trm solve</c> takes, a grid as rows, or for ARC models a task
/// object), and optionally <c>task_id</c> (ARC), <c>max_steps</c>, <c>adaptive</c>, <c>halt_threshold</c>, <c>steps</c> (answer
/// every step), and test-time compute as <c>trm solve</c> takes it: <c>trajectories</c>, <c>noise</c>, <c>noise_on</c>, <c>select</c>,
/// <c>augment</c>, <c>seed</c> (<see cref="Solving.Sampling"/>). Every refusal names its field.
/// </summary>
public sealed record SolveRequest(string Puzzle, string? TaskId, int? MaxSteps, bool Adaptive, double? HaltThreshold, bool Steps, Sampling Sampling)
{
    public static readonly string[] Fields = ["puzzle", "task_id", "max_steps", "adaptive", "halt_threshold", "steps", "trajectories", "noise", "noise_on", "select", "augment", "seed"];

    /// <summary>The request's field of each <see cref="Solving.Sampling"/> setting, for refusals.</summary>
    static readonly Dictionary<string, string> SamplingFields = new()
    {
        [nameof(Sampling.Trajectories)] = "trajectories", [nameof(Sampling.Noise)] = "noise", [nameof(Sampling.NoiseOn)] = "noise_on",
        [nameof(Sampling.Select)] = "select", [nameof(Sampling.Augment)] = "augment", [nameof(Sampling.Seed)] = "seed",
    };

    /// <summary>Most rows or columns a grid given as arrays may have (mazes are read up to 256 a side).</summary>
    public const int MaxGridSide = 256;

    /// <summary>Reads a body (UTF-8 JSON, at most <paramref name="maxDepth"/> deep) for a model of kind <paramref name="kind"/>.</summary>
    public static SolveRequest Read(ReadOnlyMemory<byte> body, int maxDepth, string kind)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            throw ProblemException.BadRequest(e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? $"the JSON is nested deeper than {maxDepth} levels." : $"the body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw ProblemException.BadRequest($"the body must be a JSON object such as {{\"puzzle\": \"...\"}}, found {Describe(root)}.");
            foreach (var property in root.EnumerateObject())
                if (!Fields.Contains(property.Name))
                    throw ProblemException.BadRequest($"unknown field \"{property.Name}\"; the fields are {string.Join(", ", Fields)}.", property.Name);
            if (!root.TryGetProperty("puzzle", out var puzzle) || puzzle.ValueKind == JsonValueKind.Null)
                throw ProblemException.BadRequest("\"puzzle\" is missing: give the puzzle as text (what trm solve takes), as rows, or (ARC) as a task object.", "puzzle");

            return new SolveRequest(PuzzleText(puzzle, kind), String(root, "task_id"), Integer(root, "max_steps"), Bool(root, "adaptive") ?? true,
                Number(root, "halt_threshold"), Bool(root, "steps") ?? false, ReadSampling(root));
        }
    }

    /// <summary>Test-time compute as <c>trm solve</c>'s flags give it, each value checked by <see cref="Sampling.Checked"/> (422 naming the field).</summary>
    static Sampling ReadSampling(JsonElement root)
    {
        var noiseOn = String(root, "noise_on") switch
        {
            null or "z_L" => NoiseTarget.ZL,
            "z_H" => NoiseTarget.ZH,
            "both" => NoiseTarget.Both,
            var other => throw ProblemException.Unprocessable($"noise_on is \"{other}\"; use z_L, z_H or both.", "noise_on"),
        };
        var select = String(root, "select") is { } name
            ? Enum.GetValues<TrajectorySelection>().Where(s => Sampling.Name(s) == name).Cast<TrajectorySelection?>().FirstOrDefault()
              ?? throw ProblemException.Unprocessable($"select is \"{name}\"; use {string.Join(", ", Enum.GetValues<TrajectorySelection>().Select(Sampling.Name))}.", "select")
            : TrajectorySelection.Q;
        long seed = Long(root, "seed") ?? 0;
        if (seed < 0) throw ProblemException.Unprocessable($"seed is {seed}; give a whole number from 0.", "seed");
        try
        {
            return new Sampling(Integer(root, "trajectories") ?? 1, Number(root, "noise") ?? 0, noiseOn, select, Integer(root, "augment") ?? 0, (ulong)seed).Checked();
        }
        catch (TrmSettingsException e)
        {
            var first = e.Problems[0];
            throw ProblemException.Unprocessable($"{SamplingFields[first.Setting]} {first.Problem}.", SamplingFields[first.Setting]);
        }
    }

    /// <summary>The puzzle as the kind's text: a string as is; rows of strings joined (a maze's by newlines); rows of digits (Sudoku, 0 blank); a task object's JSON.</summary>
    static string PuzzleText(JsonElement puzzle, string kind)
    {
        switch (puzzle.ValueKind)
        {
            case JsonValueKind.String:
                return puzzle.GetString()!;
            case JsonValueKind.Object when kind == ArcKind.Name:
                return puzzle.GetRawText();
            case JsonValueKind.Array when kind != ArcKind.Name:
                var rows = puzzle.EnumerateArray().ToList();
                if (rows.Count is 0 or > MaxGridSide) throw ProblemException.Unprocessable($"the grid has {rows.Count} rows; give 1 to {MaxGridSide}.", "puzzle");
                var text = new StringBuilder();
                for (int r = 0; r < rows.Count; r++)
                {
                    var row = rows[r];
                    if (row.ValueKind == JsonValueKind.String)
                    {
                        if (row.GetString()!.Length > MaxGridSide) throw ProblemException.Unprocessable($"row {r} is longer than {MaxGridSide} cells.", $"puzzle[{r}]");
                        text.Append(row.GetString());
                    }
                    else if (row.ValueKind == JsonValueKind.Array && kind == SudokuKind.Name)
                    {
                        var cells = row.EnumerateArray().ToList();
                        if (cells.Count > MaxGridSide) throw ProblemException.Unprocessable($"row {r} has {cells.Count} cells, more than {MaxGridSide}.", $"puzzle[{r}]");
                        for (int c = 0; c < cells.Count; c++)
                        {
                            if (cells[c].ValueKind != JsonValueKind.Number || !cells[c].TryGetInt32(out int digit) || digit is < 0 or > 9)
                                throw ProblemException.BadRequest($"a cell must be a digit 0-9 (0 for a blank), found {Describe(cells[c])}.", $"puzzle[{r}][{c}]");
                            text.Append(digit == 0 ? '.' : (char)('0' + digit));
                        }
                    }
                    else throw ProblemException.BadRequest($"each row must be {(kind == SudokuKind.Name ? "a string or a list of digits" : "a string")}, found {Describe(row)}.", $"puzzle[{r}]");
                    if (kind != SudokuKind.Name && r < rows.Count - 1) text.Append('\n');
                }
                return text.ToString();
            default:
                throw ProblemException.BadRequest(kind == ArcKind.Name
                    ? $"\"puzzle\" must be an ARC task object {{\"train\": [...], \"test\": [...]}} or its JSON text, found {Describe(puzzle)}."
                    : $"\"puzzle\" must be the puzzle as text or a list of rows, found {Describe(puzzle)}.", "puzzle");
        }
    }

    static int? Integer(JsonElement root, string name) => !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n
        : value.ValueKind == JsonValueKind.Number
            ? throw ProblemException.Unprocessable($"\"{name}\" is {value.GetRawText()}, outside what this server takes.", name)
            : throw ProblemException.BadRequest($"\"{name}\" must be an integer, found {Describe(value)}.", name);

    static long? Long(JsonElement root, string name) => !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n
        : throw ProblemException.BadRequest($"\"{name}\" must be a whole number, found {Describe(value)}.", name);

    static double? Number(JsonElement root, string name) => !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw ProblemException.BadRequest($"\"{name}\" must be a number, found {Describe(value)}.", name);

    static bool? Bool(JsonElement root, string name) => !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw ProblemException.BadRequest($"\"{name}\" must be true or false, found {Describe(value)}.", name);

    static string? String(JsonElement root, string name) => !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String && value.GetString()!.Length <= 256 ? value.GetString()
        : throw ProblemException.BadRequest($"\"{name}\" must be a string of at most 256 characters.", name);

    static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };
}
