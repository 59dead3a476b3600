using Trm.IO;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Trm.Configuration;

/// <summary>
/// Converts between YAML text and <see cref="JsonNode"/> trees, so configs are checked and bound with
/// System.Text.Json. Plain scalars become booleans, numbers or null the way YAML 1.1 (PyYAML) reads
/// them; quoted scalars stay strings. Reading is bounded: the text, the nesting depth and the nodes it
/// expands to (aliases included, so a "billion laughs" stops at <see cref="MaxNodes"/>) are capped.
/// </summary>
public static class YamlDocument
{
    /// <summary>Largest YAML text read (1 MiB; a training config is about 2 KB).</summary>
    public const int MaxTextLength = 1 << 20;
    /// <summary>Deepest nesting of mappings and lists (a config nests 3 deep).</summary>
    public const int MaxDepth = 32;
    /// <summary>Most nodes a document may expand to, each alias counting the nodes it repeats (a config has about 100).</summary>
    public const int MaxNodes = 100_000;

    public static JsonNode? Parse(string text, string source)
    {
        if (text.Length > MaxTextLength)
            throw new TrmException($"{source}: {text.Length} characters of YAML, more than the limit of {MaxTextLength}; this is not a training config.");
        try
        {
            var builder = new Builder(new Parser(new StringReader(text)), source);
            return builder.Document();
        }
        catch (YamlException e)
        {
            throw new TrmException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives no position when the event stream ends where a node must follow.
            throw new TrmException($"{source}: not valid YAML (a mapping, list or document ends where a value should follow).");
        }
    }

    /// <summary>Reads a YAML file (a regular file), refusing one larger than <see cref="MaxTextLength"/> bytes.</summary>
    public static string ReadText(string path) => UserFile.ReadAllText(path, MaxTextLength, "a YAML config");

    // Builds JSON straight from the parser's events: depth and node count are checked as they grow.
    sealed class Builder(IParser parser, string source)
    {
        readonly Dictionary<string, (JsonNode? Node, int Size)> anchors = [];
        int nodes;

        public JsonNode? Document()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = parser.Accept<DocumentEnd>(out _) ? null : Node(0).Node;
            parser.Consume<DocumentEnd>();
            return root;   // later documents are ignored, as before
        }

        (JsonNode? Node, int Size) Node(int depth)
        {
            if (depth > MaxDepth) throw Refuse(parser.Current!.Start, $"nesting deeper than {MaxDepth} levels");
            int before = nodes;
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!anchors.TryGetValue(alias.Value.Value, out var anchored)) throw Refuse(alias.Start, $"alias *{alias.Value} names no anchor before it");
                Count(anchored.Size, alias.Start);
                return (anchored.Node?.DeepClone(), anchored.Size);
            }
            var start = parser.Current!;
            JsonNode? node;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                Count(1, scalar.Start);
                node = Scalar(scalar);
            }
            else if (parser.TryConsume<SequenceStart>(out _))
            {
                Count(1, start.Start);
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _)) array.Add(Node(depth + 1).Node);
                node = array;
            }
            else if (parser.TryConsume<MappingStart>(out _))
            {
                Count(1, start.Start);
                var map = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyAt = parser.Current!.Start;
                    if (!parser.TryConsume<Scalar>(out var key)) throw Refuse(keyAt, "keys must be plain names");
                    Count(1, keyAt);
                    if (map.ContainsKey(key.Value)) throw Refuse(keyAt, $"key '{key.Value}' appears twice in one mapping");
                    map[key.Value] = Node(depth + 1).Node;
                }
                node = map;
            }
            else throw Refuse(start.Start, $"unexpected {start.GetType().Name}");
            int size = nodes - before;
            if (start is NodeEvent { Anchor.IsEmpty: false } anchoredEvent) anchors[anchoredEvent.Anchor.Value] = (node, size);
            return (node, size);
        }

        void Count(int added, Mark at)
        {
            nodes += added;
            if (nodes > MaxNodes) throw Refuse(at, $"the document expands to more than {MaxNodes} nodes (through aliases or size); this is not a training config");
        }

        TrmException Refuse(Mark at, string what) => new($"{source}: line {at.Line}: {what}.");
    }

    static JsonNode? Scalar(Scalar scalar)
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
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) && value.Any(char.IsDigit))
            return JsonValue.Create(real);   // 1e999 overflows to infinity, which no setting takes: left a string, refused by type
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
