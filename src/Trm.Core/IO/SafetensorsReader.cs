using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>One tensor of a safetensors header: dtype, shape, and its bytes [Begin, End) relative to the data start.</summary>
public sealed record SafetensorsEntry(string Name, ScalarType Dtype, long[] Shape, long Begin, long End);

/// <summary>A safetensors header: where the data starts, the tensors in file order, and the <c>__metadata__</c> strings.</summary>
public sealed record SafetensorsHeader(long DataStart, IReadOnlyList<SafetensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Reads the safetensors format (Hugging Face's, what <c>safetensors.torch.save_file</c> writes): an 8-byte
/// little-endian header length N, N bytes of JSON (<c>{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}</c>),
/// then the tensors' raw little-endian bytes, which must tile the data exactly. Every check names the file and the tensor.
/// </summary>
public static class SafetensorsReader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The header size the format allows (100 MB); a larger one is a damaged or foreign file.</summary>
    const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads every tensor (CPU, straight into its own memory) and the metadata.</summary>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        var header = ReadHeader(path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            using var stream = UserFile.OpenRead(path, "a safetensors file", bufferSize: 1);
            foreach (var entry in header.Tensors)
            {
                var tensor = empty(entry.Shape, entry.Dtype);
                tensors[entry.Name] = tensor;
                stream.Position = header.DataStart + entry.Begin;
                TensorBytes.ReadInto(stream, tensor);
            }
        }
        catch (EndOfStreamException e)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new TrmException($"{path}: the tensor data ends early; the file is truncated. Copy or convert it again.", e);
        }
        return (tensors, header.Metadata);
    }

    /// <summary>Reads and checks the header only (cheap: no tensor data is read).</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new TrmException($"{path}: file not found.");
        using var stream = UserFile.OpenRead(path, "a safetensors file");
        long fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw new TrmException($"{path}: {fileLength} bytes is too short for a safetensors file (8-byte header length, JSON header, data); the file is truncated or not safetensors.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new TrmException($"{path}: the header length {headerLength} reaches past the end of the file ({fileLength} bytes); the file is truncated or not safetensors.");
        if (headerLength > MaxHeaderBytes)
            throw new TrmException($"{path}: the header length {headerLength} exceeds the format's limit of {MaxHeaderBytes} bytes; this is not a safetensors file.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new TrmException($"{path}: the header is not valid UTF-8 text; the file is damaged or not safetensors.");

        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TrmException($"{path}: the header is not valid JSON ({e.Message.Split(". ")[0]}); the file is damaged or not safetensors.", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new TrmException($"{path}: the header is a JSON {document.RootElement.ValueKind}, not an object of tensors; the file is not safetensors.");
            var metadata = new Dictionary<string, string>();
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw new TrmException($"{path}: the header names '{property.Name}' twice; the file is damaged.");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
                else entries.Add(ReadEntry(property.Name, property.Value, dataLength, path));
            }
            CheckTiling(entries, dataLength, path);
            return new SafetensorsHeader(dataStart, entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList(), metadata);
        }
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object) throw new TrmException($"{path}: {MetadataKey} must be an object of strings; the file is damaged.");
        foreach (var item in value.EnumerateObject())
            metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()!
                : throw new TrmException($"{path}: {MetadataKey} entry '{item.Name}' is a {item.Value.ValueKind}, not a string; the file is damaged.");
    }

    static SafetensorsEntry ReadEntry(string name, JsonElement value, long dataLength, string path)
    {
        string where = $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object) throw new TrmException($"{where} is described by a JSON {value.ValueKind}, not an object; the file is damaged.");
        var dtypeName = value.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()!
            : throw new TrmException($"{where} has no dtype; the file is damaged.");
        var dtype = Dtype(dtypeName) ?? throw new TrmException($"{where} has dtype '{dtypeName}', which is not supported ({string.Join(", ", DtypeNames.Keys)} are).");
        var shape = Integers(value, "shape", where);
        var offsets = Integers(value, "data_offsets", where);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new TrmException($"{where}: data_offsets [{string.Join(", ", offsets)}] must be [begin, end] with begin <= end; the file is damaged.");
        if (offsets[1] > dataLength)
            throw new TrmException($"{where}: data_offsets [{offsets[0]}, {offsets[1]}] reach past the end of the data ({dataLength} bytes); the file is truncated.");
        long needed = DeclaredShape.Bytes(shape, dtype.ElementSize())
            ?? throw new TrmException($"{where}: shape {DeclaredShape.Text(shape)} is too large; the file is damaged.");
        if (offsets[1] - offsets[0] != needed)
            throw new TrmException($"{where}: data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]} bytes, but dtype {dtypeName} and shape [{string.Join(", ", shape)}] need {needed}; the file is damaged.");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    static long[] Integers(JsonElement value, string field, string where)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new TrmException($"{where} has no {field} list; the file is damaged.");
        return array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var n) && n >= 0 ? n
            : throw new TrmException($"{where}: {field} holds {item.GetRawText()}, not a non-negative integer; the file is damaged.")).ToArray();
    }

    /// <summary>The tensors must cover the data exactly, in some order: no overlap, no gap, nothing after the last.</summary>
    static void CheckTiling(List<SafetensorsEntry> entries, long dataLength, string path)
    {
        long end = 0;
        string? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < end) throw new TrmException($"{path}: tensors '{previous}' and '{entry.Name}' overlap in the data; the file is damaged.");
            if (entry.Begin > end) throw new TrmException($"{path}: {entry.Begin - end} bytes before tensor '{entry.Name}' belong to no tensor; the file is damaged.");
            (end, previous) = (entry.End, entry.Name);
        }
        if (end != dataLength) throw new TrmException($"{path}: {dataLength - end} bytes after the last tensor belong to no tensor; the file is damaged.");
    }

    /// <summary>The safetensors dtype names this reader and <see cref="SafetensorsWriter"/> support.</summary>
    public static readonly IReadOnlyDictionary<string, ScalarType> DtypeNames = new Dictionary<string, ScalarType>
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    static ScalarType? Dtype(string name) => DtypeNames.TryGetValue(name, out var dtype) ? dtype : null;
}
