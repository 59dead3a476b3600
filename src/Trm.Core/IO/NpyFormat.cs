using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// NumPy's <c>.npy</c> format (versions 1-3): a magic string, a Python-literal header giving
/// dtype, memory order and shape, then the raw little-endian array bytes.
/// </summary>
public static partial class NpyFormat
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Longest header read (numpy itself refuses headers over 10,000 bytes by default).</summary>
    public const int MaxHeaderBytes = 65536;

    /// <summary>Largest array <see cref="Read"/> loads into memory (1 GiB; bigger token arrays are memory-mapped by the dataset reader).</summary>
    public const long MaxArrayBytes = 1L << 30;

    /// <summary>Reads one array as a CPU tensor. <paramref name="source"/> names the file in errors.</summary>
    /// <param name="length">The bytes the stream holds from its start (a zip entry's size); null: the seekable stream's length.</param>
    public static Tensor Read(Stream stream, string source, long? length = null)
    {
        long total = length ?? stream.Length - stream.Position;
        var (dtype, shape, headerBytes) = ReadHeader(stream, source);
        long available = total - headerBytes;
        long needed = RequireData(shape, dtype, available, source);
        if (needed > MaxArrayBytes)
            throw new TrmException($"{source}: shape {DeclaredShape.Text(shape)} needs {needed} bytes, more than the limit of {MaxArrayBytes} for an array read into memory.");
        var bytes = new byte[needed];
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new TrmException($"{source}: the array data is truncated (expected {bytes.Length} bytes for shape [{string.Join(", ", shape)}]). Re-create or re-download the file.");
        }
        return TensorBytes.ToTensor(bytes, dtype, shape);
    }

    /// <summary>Writes a CPU tensor as a version-1 <c>.npy</c> array in C order.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        WriteHeader(stream, tensor.dtype, tensor.shape);
        stream.Write(TensorBytes.FromTensor(tensor));
    }

    /// <summary>
    /// Writes a version-1 header. The header is padded with spaces so that the data starts at a
    /// multiple of 64, or exactly at <paramref name="dataOffset"/> when given (so that a streaming
    /// writer can reserve room and rewrite the shape once it is known).
    /// </summary>
    public static void WriteHeader(Stream stream, ScalarType dtype, long[] shape, int? dataOffset = null)
    {
        var shapeText = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0]},)",
            _ => "(" + string.Join(", ", shape) + ")",
        };
        var header = $"{{'descr': '{DescrOf(dtype)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int unpadded = Magic.Length + 4 + header.Length + 1;
        int total = dataOffset ?? unpadded + (64 - unpadded % 64) % 64;
        if (total < unpadded) throw new ArgumentException($"a .npy header for shape {shapeText} needs {unpadded} bytes, more than {total}");
        header += new string(' ', total - unpadded) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <summary>Reads the header of a <c>.npy</c> file: element type, shape, and the byte offset where the data starts.</summary>
    public static (ScalarType Dtype, long[] Shape, long DataOffset) ReadHeader(string path)
    {
        using var stream = UserFile.OpenRead(path, "a .npy array");
        var (dtype, shape, _) = ReadHeader(stream, path);
        RequireData(shape, dtype, stream.Length - stream.Position, path);
        return (dtype, shape, stream.Position);
    }

    /// <summary>The data's byte size for <paramref name="shape"/>, refused (overflow-safe) when the file holds fewer bytes.</summary>
    static long RequireData(long[] shape, ScalarType dtype, long available, string source)
    {
        var needed = DeclaredShape.Bytes(shape, dtype.ElementSize())
            ?? throw new TrmException($"{source}: the header's shape {DeclaredShape.Text(shape)} is negative or too large; the file is damaged.");
        if (needed > available)
            throw new TrmException($"{source}: the array data is truncated (shape {DeclaredShape.Text(shape)} of {dtype} needs {needed} bytes, the file holds {available} after the header). Re-create or re-download the file.");
        return needed;
    }

    // Returns the header's size in bytes too: a zip entry's stream cannot tell its position.
    static (ScalarType dtype, long[] shape, long headerBytes) ReadHeader(Stream stream, string source)
    {
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new TrmException($"{source}: not a NumPy .npy array (missing the \\x93NUMPY magic).");
        int major = prefix[6];
        int lengthBytes = major == 1 ? 2 : 4;
        var lengthField = new byte[lengthBytes];
        if (stream.ReadAtLeast(lengthField, lengthBytes, throwOnEndOfStream: false) < lengthBytes)
            throw new TrmException($"{source}: the .npy header is truncated.");
        long headerLength = major == 1 ? BitConverter.ToUInt16(lengthField) : BitConverter.ToUInt32(lengthField);
        if (headerLength > MaxHeaderBytes)
            throw new TrmException($"{source}: the .npy header declares {headerLength} bytes, more than the limit of {MaxHeaderBytes}; the file is damaged.");
        var headerBytes = new byte[headerLength];
        try { stream.ReadExactly(headerBytes); }
        catch (EndOfStreamException) { throw new TrmException($"{source}: the .npy header is truncated."); }
        var header = Encoding.Latin1.GetString(headerBytes);

        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
            throw new TrmException($"{source}: unreadable .npy header '{header.Trim()}'.");
        if (order.Groups[1].Value == "True")
            throw new TrmException($"{source}: Fortran-ordered arrays are not supported; save the array with numpy.ascontiguousarray first.");
        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => long.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size
                : throw new TrmException($"{source}: the .npy header's shape holds '{n}', not a size; the file is damaged.")).ToArray();
        return (DtypeOf(descr.Groups[1].Value, source), shape, prefix.Length + lengthBytes + headerLength);
    }

    static ScalarType DtypeOf(string descr, string source) => descr switch
    {
        "<f8" => ScalarType.Float64,
        "<f4" => ScalarType.Float32,
        "<f2" => ScalarType.Float16,
        "<i8" => ScalarType.Int64,
        "<i4" => ScalarType.Int32,
        "<i2" => ScalarType.Int16,
        "|i1" => ScalarType.Int8,
        "|u1" => ScalarType.Byte,
        "|b1" => ScalarType.Bool,
        _ => throw new TrmException($"{source}: unsupported .npy dtype '{descr}' (supported: <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1, little-endian)."),
    };

    static string DescrOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => "<f8",
        ScalarType.Float32 => "<f4",
        ScalarType.Float16 => "<f2",
        ScalarType.Int64 => "<i8",
        ScalarType.Int32 => "<i4",
        ScalarType.Int16 => "<i2",
        ScalarType.Int8 => "|i1",
        ScalarType.Byte => "|u1",
        ScalarType.Bool => "|b1",
        _ => throw new ArgumentException($"NumPy has no dtype for {dtype}; convert the tensor first."),
    };

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
