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

    /// <summary>
    /// What is wrong with the fields on their own, each named as <c>dataset.json</c> names it: sizes at least 1, the pad and ignore
    /// ids inside the vocabulary, the blank identifier among the identifiers, counts not negative, and the sets a non-empty list
    /// of distinct plain names (they become file names: no path separators, no <c>..</c>).
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (VocabSize < 1) yield return $"vocab_size is {VocabSize}, must be at least 1";
        if (SeqLen < 1) yield return $"seq_len is {SeqLen}, must be at least 1";
        if (VocabSize >= 1 && (PadId < 0 || PadId >= VocabSize)) yield return $"pad_id {PadId} is outside the vocabulary [0, {VocabSize})";
        if (VocabSize >= 1 && IgnoreLabelId is int ignore && (ignore < 0 || ignore >= VocabSize))
            yield return $"ignore_label_id {ignore} is outside the vocabulary [0, {VocabSize}) (null: none)";
        if (NumPuzzleIdentifiers < 1) yield return $"num_puzzle_identifiers is {NumPuzzleIdentifiers}, must be at least 1 (0 is the blank identifier)";
        else if (BlankIdentifierId < 0 || BlankIdentifierId >= NumPuzzleIdentifiers)
            yield return $"blank_identifier_id {BlankIdentifierId} is outside the identifiers [0, {NumPuzzleIdentifiers})";
        if (TotalGroups < 0) yield return $"total_groups is {TotalGroups}, must not be negative";
        if (TotalPuzzles < 0) yield return $"total_puzzles is {TotalPuzzles}, must not be negative";
        if (!double.IsFinite(MeanPuzzleExamples) || MeanPuzzleExamples < 0) yield return $"mean_puzzle_examples is {MeanPuzzleExamples}, must be a number not below 0";
        if (Sets is null || Sets.Count == 0) yield return "sets must list at least one set name (usually [\"all\"])";
        else
        {
            foreach (var name in Sets)
                if (!IsPlainName(name)) yield return $"sets holds {(name is null ? "null" : $"'{name}'")}, not a plain name (letters, digits, '-', '_' and '.'; not '.' or '..')";
            foreach (var twice in Sets.Where(IsPlainName).GroupBy(n => n).Where(g => g.Count() > 1)) yield return $"sets names '{twice.Key}' twice";
        }
    }

    /// <summary>What keeps this split (a test split) from being run by the model built for <paramref name="model"/> (the training split's layout).</summary>
    public IEnumerable<string> MisfitsFor(DatasetMetadata model)
    {
        if (SeqLen != model.SeqLen) yield return $"seq_len {SeqLen} (the training data's is {model.SeqLen})";
        if (VocabSize > model.VocabSize) yield return $"vocab_size {VocabSize} (the training data's is {model.VocabSize})";
        if (NumPuzzleIdentifiers > model.NumPuzzleIdentifiers) yield return $"num_puzzle_identifiers {NumPuzzleIdentifiers} (the training data's is {model.NumPuzzleIdentifiers})";
    }

    static bool IsPlainName(string? name) =>
        !string.IsNullOrEmpty(name) && name is not ("." or "..") && name.Length <= 255 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
