using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Trm.Tests.Fuzz;

/// <summary>Mutations that know the structure they change: numbers that are sizes, JSON trees, zip entries, text lines.</summary>
public static class Mutations
{
    /// <summary>Sizes, lengths and offsets that break readers: zero, one, negative, near the integer limits, huge.</summary>
    public static readonly long[] InterestingNumbers =
        [0, 1, -1, 2, 7, 255, 256, 65535, 65536, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue, int.MinValue, 1L << 40, 1_000_000_000_000, long.MaxValue, long.MinValue, 3_037_000_500];

    public static long Number(Random random) => random.Next(4) == 0 ? random.NextInt64(-1000, 100_000) : InterestingNumbers[random.Next(InterestingNumbers.Length)];

    /// <summary>A few random byte-level changes: flips, overwrites with interesting bytes, a cut, a duplicated span.</summary>
    public static byte[] Bytes(Random random, byte[] input)
    {
        var bytes = input.ToList();
        int changes = 1 + random.Next(4);
        for (int i = 0; i < changes && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)(random.Next(2) == 0 ? 0xff : 0x00); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;   // truncation
                case 3: bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 64)).ToList()); break;
                default: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16))); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Replaces one random node of a JSON tree with a hostile value, or removes it, or nests it deeply.</summary>
    public static JsonNode? Json(Random random, JsonNode? root)
    {
        var nodes = new List<JsonNode>();
        void Collect(JsonNode? node)
        {
            if (node is null) return;
            nodes.Add(node);
            if (node is JsonObject o) foreach (var p in o) Collect(p.Value);
            if (node is JsonArray a) foreach (var item in a) Collect(item);
        }
        Collect(root);
        int changes = 1 + random.Next(3);
        for (int i = 0; i < changes && nodes.Count > 1; i++)
        {
            var target = nodes[1 + random.Next(nodes.Count - 1)];
            var replacement = HostileValue(random, target);
            switch (target.Parent)
            {
                case JsonObject parent:
                    var key = parent.First(p => ReferenceEquals(p.Value, target)).Key;
                    if (random.Next(6) == 0) parent.Remove(key); else parent[key] = replacement;
                    break;
                case JsonArray array:
                    int index = array.IndexOf(target);
                    if (random.Next(6) == 0) array.RemoveAt(index); else array[index] = replacement;
                    break;
            }
            nodes.Clear();
            Collect(root);
        }
        return root;
    }

    static JsonNode? HostileValue(Random random, JsonNode original) => random.Next(9) switch
    {
        0 => JsonValue.Create(Number(random)),
        1 => JsonValue.Create(random.Next(2) == 0 ? double.MaxValue : -0.5),
        2 => JsonValue.Create(new string('x', random.Next(0, 3000))),
        3 => null,
        4 => new JsonArray(),
        5 => new JsonArray(Enumerable.Range(0, random.Next(1, 400)).Select(_ => (JsonNode?)original.DeepClone()).ToArray()),   // repeated: many steps, many rows
        6 => Nest(random.Next(10, 200)),
        7 => new JsonObject(),
        _ => JsonValue.Create(random.Next(2) == 0),
    };

    static JsonNode Nest(int depth)
    {
        JsonNode node = new JsonArray();
        for (int i = 0; i < depth; i++) node = new JsonArray(node);
        return node;
    }

    /// <summary>Text lines changed: one dropped, duplicated, cut, or given a hostile value after its colon.</summary>
    public static string Lines(Random random, string text, Func<Random, string> hostileValue)
    {
        var lines = text.Split('\n').ToList();
        int changes = 1 + random.Next(3);
        for (int i = 0; i < changes; i++)
        {
            int at = random.Next(lines.Count);
            switch (random.Next(4))
            {
                case 0: lines.RemoveAt(at); break;
                case 1: lines.Insert(at, lines[at]); break;
                case 2: lines[at] = lines[at][..random.Next(lines[at].Length + 1)]; break;
                default:
                    int colon = lines[at].IndexOf(':');
                    if (colon > 0) lines[at] = lines[at][..(colon + 1)] + " " + hostileValue(random);
                    break;
            }
            if (lines.Count == 0) lines.Add("");
        }
        return string.Join('\n', lines);
    }

    /// <summary>The entries of a zip, in order, as name and bytes.</summary>
    public static List<(string Name, byte[] Bytes)> ReadZip(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return (e.FullName, memory.ToArray());
        }).ToList();
    }

    /// <summary>A zip of stored (uncompressed) entries, as torch.save writes them.</summary>
    public static byte[] WriteZip(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        return memory.ToArray();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
