using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Trm.Model;

namespace Trm.Configuration;

/// <summary>
/// The <c>arch:</c> section: the reference's model class <c>name</c>, its <c>loss</c>, and the model's
/// fields (<see cref="TrmConfig"/> without <c>batch_size</c>, <c>seq_len</c>, <c>vocab_size</c> and
/// <c>num_puzzle_identifiers</c>, which training fills in from the data).
/// </summary>
[JsonConverter(typeof(ArchConfigConverter))]
public sealed record ArchConfig
{
    public const string TrmName = "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1";

    /// <summary>Keys of <see cref="TrmConfig"/> that come from the data and the batch size, not the config.</summary>
    public static readonly string[] DataDerivedKeys = ["batch_size", "seq_len", "vocab_size", "num_puzzle_identifiers"];

    public string Name { get; init; } = TrmName;
    public LossConfig Loss { get; init; } = new();
    public TrmConfig Model { get; init; } = new();

    /// <summary>The model's full, checked configuration once the data and the batch size are known.</summary>
    public TrmConfig ModelFor(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) =>
        (Model with { BatchSize = batchSize, SeqLen = seqLen, VocabSize = vocabSize, NumPuzzleIdentifiers = numPuzzleIdentifiers }).Validate();
}

/// <summary>The <c>arch.loss</c> section.</summary>
public sealed record LossConfig
{
    public const string ActLossHeadName = "losses@ACTLossHead";

    [JsonPropertyName("name")] public string Name { get; init; } = ActLossHeadName;
    [JsonPropertyName("loss_type")] public string LossType { get; init; } = LossFunctions.StablemaxCrossEntropy;
}

/// <summary>Reads and writes <see cref="ArchConfig"/> as one flat mapping, like the reference's YAML.</summary>
public sealed class ArchConfigConverter : JsonConverter<ArchConfig>
{
    static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public override ArchConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("arch must be a mapping");
        var config = new ArchConfig();
        if (node.Remove("name", out var name)) config = config with { Name = name?.GetValue<string>() ?? ArchConfig.TrmName };
        if (node.Remove("loss", out var loss)) config = config with { Loss = loss.Deserialize<LossConfig>(Strict) ?? new() };
        foreach (var key in ArchConfig.DataDerivedKeys)
            if (node.ContainsKey(key)) throw new JsonException($"arch.{key} is taken from the dataset and the batch size; remove it from the config");
        return config with { Model = node.Deserialize<TrmConfig>(Strict) ?? new() };
    }

    public override void Write(Utf8JsonWriter writer, ArchConfig value, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value.Model)!.AsObject();
        foreach (var key in ArchConfig.DataDerivedKeys) node.Remove(key);
        node.Insert(0, "name", value.Name);
        node.Insert(1, "loss", JsonSerializer.SerializeToNode(value.Loss));
        node.WriteTo(writer);
    }
}
