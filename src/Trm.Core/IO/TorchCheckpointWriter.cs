using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Writes a state dict as <c>torch.save</c> does (zip format, pickle protocol 2, one stored entry
/// per tensor), so the paper's PyTorch code can <c>torch.load</c> it. The file appears complete or
/// not at all: it is written beside the target and renamed into place.
/// </summary>
public static class TorchCheckpointWriter
{
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> stateDict, string keyPrefix = "")
    {
        var folder = Path.GetFileNameWithoutExtension(path) is { Length: > 0 } stem ? stem : "archive";
        AtomicOutput.WriteFile(path, temporary =>
        {
            using var zip = new ZipArchive(File.Create(temporary), ZipArchiveMode.Create);
            var keys = stateDict.Keys.ToList();
            WriteEntry(zip, $"{folder}/data.pkl", Pickle(keys.Select(k => (keyPrefix + k, stateDict[k])).ToList()));
            WriteEntry(zip, $"{folder}/byteorder", "little"u8.ToArray());
            for (int i = 0; i < keys.Count; i++)
            {
                using var stream = Entry(zip, $"{folder}/data/{i}").Open();
                TensorBytes.WriteTo(stream, stateDict[keys[i]]);   // streamed: no byte[] copy of a large table
            }
            WriteEntry(zip, $"{folder}/version", "3\n"u8.ToArray());
        });
    }

    static void WriteEntry(ZipArchive zip, string name, byte[] content)
    {
        using var stream = Entry(zip, name).Open();
        stream.Write(content);
    }

    /// <summary>Entry times are fixed (the zip epoch, as PyTorch's writer does) so that equal state dicts make equal files.</summary>
    static ZipArchiveEntry Entry(ZipArchive zip, string name)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry;
    }

    // OrderedDict([(key, _rebuild_tensor_v2(storage_i, 0, size, stride, False, OrderedDict())), ...])
    static byte[] Pickle(IReadOnlyList<(string Key, Tensor Tensor)> entries)
    {
        var o = new MemoryStream();
        var w = new BinaryWriter(o);
        void Op(char c) => w.Write((byte)c);
        void Global(string module, string name) { Op('c'); w.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        void Str(string s) { var b = Encoding.UTF8.GetBytes(s); Op('X'); w.Write(b.Length); w.Write(b); }
        void Int(long v) { Op('J'); w.Write(checked((int)v)); }
        void LongTuple(long[] values) { Op('('); foreach (var v in values) Int(v); Op('t'); }
        void EmptyOrderedDict() { Global("collections", "OrderedDict"); Op(')'); Op('R'); }

        w.Write((byte)0x80); w.Write((byte)2);   // PROTO 2
        EmptyOrderedDict();
        Op('(');
        for (int i = 0; i < entries.Count; i++)
        {
            var (key, tensor) = entries[i];
            Str(key);
            Global("torch._utils", "_rebuild_tensor_v2");
            Op('(');
            Op('('); Str("storage"); Global("torch", StorageName(tensor.dtype)); Str(i.ToString()); Str("cpu"); Int(tensor.numel()); Op('t');
            Op('Q');                                                   // BINPERSID
            Int(0);                                                    // storage offset
            LongTuple(tensor.shape);
            LongTuple(ContiguousStrides(tensor.shape));
            w.Write((byte)0x89);                                       // requires_grad = False
            EmptyOrderedDict();                                        // backward hooks
            Op('t');
            Op('R');
        }
        Op('u');                                                       // SETITEMS
        Op('.');
        return o.ToArray();
    }

    static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { strides[d] = stride; stride *= shape[d]; }
        return strides;
    }

    static string StorageName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new ArgumentException($"PyTorch checkpoints cannot hold {dtype} tensors."),
    };
}
