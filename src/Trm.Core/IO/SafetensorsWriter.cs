using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Writes tensors in the safetensors format (see <see cref="SafetensorsReader"/>), readable by
/// <c>safetensors.torch.load_file</c>: tensors sorted by name, laid out back to back in that order, the
/// JSON header padded with spaces so the data starts at a multiple of 8. The file appears complete or
/// not at all (written beside the target, then renamed).
/// </summary>
public static class SafetensorsWriter
{
    static readonly JsonWriterOptions HeaderOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the file and returns its size in bytes.</summary>
    public static long Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = Header(names, tensors, metadata);
        return AtomicOutput.WriteFile(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var name in names) TensorBytes.WriteTo(stream, tensors[name]);
            return 8 + header.Length + names.Sum(name => tensors[name].ByteSize());
        });
    }

    // {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...} + spaces to a multiple of 8
    static byte[] Header(IReadOnlyList<string> names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json, HeaderOptions))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(SafetensorsReader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) w.WriteString(key, value);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == SafetensorsReader.MetadataKey) throw new ArgumentException($"a tensor cannot be named {SafetensorsReader.MetadataKey}");
                var tensor = tensors[name];
                long size = tensor.ByteSize();
                w.WriteStartObject(name);
                w.WriteString("dtype", DtypeName(tensor.dtype));
                w.WriteStartArray("shape");
                foreach (var n in tensor.shape) w.WriteNumberValue(n);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + size);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += size;
            }
            w.WriteEndObject();
        }
        while (json.Length % 8 != 0) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    static string DtypeName(ScalarType dtype) =>
        SafetensorsReader.DtypeNames.FirstOrDefault(d => d.Value == dtype).Key ?? throw new ArgumentException($"safetensors files cannot hold {dtype} tensors here.");
}
