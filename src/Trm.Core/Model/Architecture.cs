using System.Text.Json.Serialization;

namespace Trm.Model;

/// <summary>
/// <c>arch.name</c>: the reference's model class. Only TRM is implemented; reading a config refuses other names
/// rather than silently training a TRM in their place. The short form (<c>trm</c>) is accepted too.
/// </summary>
[JsonConverter(typeof(ArchitectureConverter))]
public enum Architecture
{
    [JsonStringEnumMemberName("recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1")] Trm,
}

/// <summary>Reads the reference name or the short form (the module name: <c>trm</c>); writes the reference name.</summary>
public sealed class ArchitectureConverter : JsonConverter<Architecture>
{
    public override Architecture Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var name = reader.GetString() ?? "";
        foreach (var known in Enum.GetValues<Architecture>())
        {
            var full = ReferenceNames.Of(known);
            if (name == full || name == ShortName(full)) return known;
        }
        throw new ReferenceNameException($"must be one of the implemented architectures: {string.Join(", ", ReferenceNames.All<Architecture>().Select(n => $"{n} ({ShortName(n)})"))} (is '{name}')");
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, Architecture value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(ReferenceNames.Of(value));

    /// <summary><c>recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1</c> -> <c>trm</c>.</summary>
    static string ShortName(string full) => full[(full.IndexOf('.') + 1)..full.IndexOf('@')];
}
