using System.Text.Json.Serialization;

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
}
