using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trm.Model;

/// <summary>
/// The config fields each architecture has (its reference config class, without the data-derived <c>batch_size</c>,
/// <c>seq_len</c>, <c>vocab_size</c> and <c>num_puzzle_identifiers</c>) and the values the others take: a field an
/// architecture does not have is refused by name; one it has but a config leaves out takes the reference's
/// <c>config/arch/&lt;name&gt;.yaml</c> value. Each architecture's <see cref="ArchitectureDefinition"/> lists them.
/// </summary>
public static class ArchitectureFields
{
    /// <summary>The config keys of <paramref name="architecture"/>.</summary>
    public static IReadOnlyList<string> Keys(Architecture architecture) => ArchitectureDefinition.Of(architecture).Fields;

    /// <summary>The configuration of <paramref name="architecture"/> before a config sets anything.</summary>
    public static TrmConfig Defaults(Architecture architecture) => ArchitectureDefinition.Of(architecture).Defaults;

    /// <summary>
    /// Builds the configuration of <paramref name="architecture"/> from its <paramref name="fields"/> (reference names).
    /// A field it does not have is a <see cref="ReferenceNameException"/> whose path is that field.
    /// </summary>
    public static TrmConfig Read(Architecture architecture, JsonObject fields, JsonSerializerOptions options)
    {
        var keys = Keys(architecture);
        foreach (var (key, _) in fields)
            if (!keys.Contains(key))
                throw new ReferenceNameException(
                    $"is not a field of {ArchitectureNames.Describe(architecture)}; its fields are {string.Join(", ", keys)}", "$." + key);
        var merged = JsonSerializer.SerializeToNode(Defaults(architecture))!.AsObject();
        foreach (var (key, value) in fields) merged[key] = value?.DeepClone();
        return merged.Deserialize<TrmConfig>(options)! with { Architecture = architecture };
    }

    /// <summary>The fields of <paramref name="config"/>'s architecture, as the reference writes them.</summary>
    public static JsonObject Write(TrmConfig config)
    {
        var all = JsonSerializer.SerializeToNode(config)!.AsObject();
        var node = new JsonObject();
        foreach (var key in Keys(config.Architecture)) node[key] = all[key]?.DeepClone();
        return node;
    }
}
