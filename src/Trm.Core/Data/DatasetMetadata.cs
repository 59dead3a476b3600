using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>This metadata, or a <see cref="TrmException"/> naming <paramref name="file"/> and every field outside its
    /// declared range (<see cref="UserLimits.Dataset"/>): sizes and counts a model and a loader are built from.</summary>
    public DatasetMetadata Checked(string file)
    {
        var problems = UserLimits.Problems(UserLimits.Dataset, JsonSerializer.SerializeToNode(this)!.AsObject());
        return problems.Count == 0 ? this : throw new TrmException(
            $"{file}: {string.Join("; ", problems.Select(p => $"{p.Setting} {p.Problem}"))}. Rebuild the dataset with trm data.");
    }
}
