using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.IO;

namespace Trm.Puzzles;

/// <summary>
/// What a solve records about one puzzle (the JSON <c>trm solve --out</c> writes): the question, the model's answer, whether
/// it is right, and the answer after every supervision step with the Q head's halting probability. The JSON has the
/// <see cref="Kind"/> first (<c>sudoku</c>, <c>maze</c>, <c>arc</c>), then the snake_case fields of the kind's record. Each
/// kind reads its own records back (<see cref="IPuzzleKind.ReadRecord"/>, through <c>Trm.Solving.PuzzleKinds.ReadRecord</c>).
/// </summary>
/// <param name="Kind">The kind's name (<see cref="IPuzzleKind.Name"/>), written first.</param>
public abstract record SolveRecord([property: JsonPropertyName("kind"), JsonPropertyOrder(-1)] string Kind)
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>Most supervision steps a record may hold (a model halts within halt_max_steps, 16 in the paper; each step becomes a picture).</summary>
    public const int MaxSteps = 256;

    /// <summary>Largest record file read (64 MiB; a 30x30 ARC record with 16 steps is about 100 KB).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>With test-time compute, how the runs' answers spread (<see cref="RunAnswer"/>); absent otherwise.</summary>
    [JsonPropertyName("runs"), JsonPropertyOrder(1), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RunAnswer>? Runs { get; init; }

    /// <summary>The steps a picture of the record shows (its longest trajectory).</summary>
    public abstract int StepCount();

    /// <summary>The record as indented JSON, fields of its kind included.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, GetType(), Options);

    /// <summary>Writes one record as an object, or several as an array, atomically.</summary>
    public static void Write(string path, IReadOnlyList<SolveRecord> records)
    {
        // Serialized as object, so each record writes the fields of its own kind.
        if (records.Count == 1) JsonFile.Write<object>(path, records[0]);
        else JsonFile.Write(path, records.ToArray<object>());
    }
}
