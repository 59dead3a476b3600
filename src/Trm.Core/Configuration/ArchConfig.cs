using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Trm.Model;

namespace Trm.Configuration;

/// <summary>
/// The <c>arch:</c> section: the reference's model class <c>name</c>, its <c>loss</c>, and the fields of that
/// architecture (<see cref="ArchitectureFields.Keys"/>: <see cref="TrmConfig"/> without <c>batch_size</c>, <c>seq_len</c>,
/// <c>vocab_size</c> and <c>num_puzzle_identifiers</c>, which training fills in from the data).
/// </summary>
[JsonConverter(typeof(ArchConfigConverter))]
public sealed record ArchConfig
{
    /// <summary>Keys of <see cref="TrmConfig"/> that come from the data and the batch size, not the config.</summary>
    public static readonly string[] DataDerivedKeys = ["batch_size", "seq_len", "vocab_size", "num_puzzle_identifiers"];

    /// <summary><c>arch.name</c>, which the model configuration carries.</summary>
    public Architecture Name => Model.Architecture;
    public LossConfig Loss { get; init; } = new();
    public TrmConfig Model { get; init; } = new();

    /// <summary>The model's full, checked configuration once the data is known.</summary>
    public TrmConfig ModelFor(int seqLen, int vocabSize, int numPuzzleIdentifiers) =>
        (Model with { SeqLen = seqLen, VocabSize = vocabSize, NumPuzzleIdentifiers = numPuzzleIdentifiers }).Validate();
}

/// <summary>The <c>arch.loss</c> section.</summary>
public sealed record LossConfig
{
    public const string ActLossHeadName = "losses@ACTLossHead";

    [JsonPropertyName("name")] public string Name { get; init; } = ActLossHeadName;
    [JsonPropertyName("loss_type")] public LossType LossType { get; init; } = LossType.StablemaxCrossEntropy;
}

/// <summary>Reads and writes <see cref="ArchConfig"/> as one flat mapping, like the reference's YAML.</summary>
public sealed class ArchConfigConverter : JsonConverter<ArchConfig>
{
    static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public override ArchConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("arch must be a mapping");
        var config = new ArchConfig();
        var architecture = node.Remove("name", out var name) && name is not null ? Within("arch.name", () => name.Deserialize<Architecture>()) : Architecture.Trm;
        if (node.Remove("loss", out var loss)) config = config with { Loss = Within("arch.loss", () => loss.Deserialize<LossConfig>(Strict)) ?? new() };
        foreach (var key in ArchConfig.DataDerivedKeys)
            if (node.ContainsKey(key)) throw new JsonException($"arch.{key} is taken from the dataset and the batch size; remove it from the config");
        return config with { Model = Within("arch", () => ArchitectureFields.Read(architecture, node, Strict)) };
    }

    /// <summary>Reads a part of <c>arch</c>, so that an unknown name or a wrong type is reported at its full key (<c>arch.pos_encodings</c>).</summary>
    static T Within<T>(string prefix, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ReferenceNameException e)
        {
            throw new ReferenceNameException(e.Message, "$." + prefix + (e.Path is { Length: > 1 } p ? p[1..] : ""));
        }
        catch (JsonException e) when (e.Path is { Length: > 1 } p)   // a value of the wrong type: named at its full key too
        {
            throw new JsonException(e.Message.Split(" Path: ")[0], "$." + prefix + p[1..], null, null, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, ArchConfig value, JsonSerializerOptions options)
    {
        var node = ArchitectureFields.Write(value.Model);
        node.Insert(0, "name", JsonSerializer.SerializeToNode(value.Name));
        node.Insert(1, "loss", JsonSerializer.SerializeToNode(value.Loss));
        node.WriteTo(writer);
    }
}
