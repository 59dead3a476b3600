using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Trm.Configuration;

/// <summary>
/// Converts between YAML text and <see cref="JsonNode"/> trees, so configs are checked and bound with
/// System.Text.Json. Plain scalars become booleans, numbers or null the way YAML 1.1 (PyYAML) reads
/// them; quoted scalars stay strings.
/// </summary>
public static class YamlDocument
{
    public static JsonNode? Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new TrmException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, source);
    }

    static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(entry => KeyValuePair.Create(
            entry.Key is YamlScalarNode key ? key.Value ?? "" : throw new TrmException($"{source}: line {entry.Key.Start.Line}: keys must be plain names."),
            ToJson(entry.Value, source)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(child => ToJson(child, source)).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new TrmException($"{source}: line {node.Start.Line}: anchors and aliases are not supported."),
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && value.Any(char.IsDigit)) return JsonValue.Create(real);
        return JsonValue.Create(value);
    }

    /// <summary>Writes a JSON tree as block-style YAML (what <c>all_config.yaml</c> looks like).</summary>
    public static string Write(JsonNode node) => new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(ToPlain(node));

    static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<long>(out var l) => l,
        JsonValue value when value.TryGetValue<int>(out var i) => i,
        JsonValue value when value.TryGetValue<double>(out var d) => d,
        _ => node.ToString(),
    };
}
