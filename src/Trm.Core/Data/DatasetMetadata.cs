using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Trm.IO;
using Trm.Limits;

namespace Trm.Data;

/// <summary>
/// A split's <c>dataset.json</c>, field for field as the reference writes it. <see cref="IgnoreLabelId"/>
/// is the label value that becomes -100 when batched (null: none); <see cref="Sets"/> names the
/// array groups (<c>&lt;set&gt;__inputs.npy</c>, ...), usually just <c>all</c>.
/// </summary>
public sealed record DatasetMetadata
{
    [JsonPropertyName("pad_id")] public int PadId { get; init; }
    [JsonPropertyName("ignore_label_id")] public int? IgnoreLabelId { get; init; }
    [JsonPropertyName("blank_identifier_id")] public int BlankIdentifierId { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("seq_len")] public int SeqLen { get; init; }
    [JsonPropertyName("num_puzzle_identifiers")] public int NumPuzzleIdentifiers { get; init; }
    [JsonPropertyName("total_groups")] public int TotalGroups { get; init; }
    [JsonPropertyName("mean_puzzle_examples")] public double MeanPuzzleExamples { get; init; }
    [JsonPropertyName("total_puzzles")] public int TotalPuzzles { get; init; }
    [JsonPropertyName("sets")] public IReadOnlyList<string> Sets { get; init; } = ["all"];

    /// <summary>
    /// Reads <paramref name="file"/> and checks every field against its declared limit (<see cref="UserLimits.Dataset"/>: present,
    /// not null, within range) before binding: the sizes and counts a model and a loader are built from. Refusals name the file
    /// and every field wrong.
    /// </summary>
    public static DatasetMetadata Read(string file, string hint)
    {
        var node = JsonFile.Read<JsonObject>(file, "dataset metadata", hint);
        var problems = UserLimits.Problems(UserLimits.Dataset, node);
        if (problems.Count > 0)
            throw new TrmException($"{file}: {string.Join("; ", problems.Select(p => $"{p.Setting} {p.Problem}"))}. Rebuild the dataset with trm data.");
        try
        {
            return node.Deserialize<DatasetMetadata>()!;
        }
        catch (JsonException e)
        {
            throw new TrmException($"{file}: {e.Path?.TrimStart('$', '.')} has the wrong type ({e.Message.Split(". ")[0]}). Rebuild the dataset with trm data.", e);
        }
    }
}
