using System.Buffers.Binary;
using System.Text;

namespace Trm.Logging;

/// <summary>
/// Protocol-buffer wire format for the few field kinds a TensorBoard Event and an ONNX model need; fields are written in
/// call order (a repeated field is the same field written again). Wire types: 0 varint, 1 fixed64, 2 length-delimited,
/// 5 fixed32.
/// </summary>
internal sealed class ProtobufWriter
{
    readonly MemoryStream buffer = new();

    public void WriteDouble(int field, double value)
    {
        WriteTag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    /// <summary>A negative value takes ten bytes (two's complement as uint64), as protobuf's int64 does.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, 0);
        WriteVarint((ulong)value);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteMessage(int field, ProtobufWriter message) => WriteBytes(field, message.Written);

    /// <summary>The bytes written so far.</summary>
    public long Length => buffer.Length;

    public byte[] ToArray() => buffer.ToArray();

    /// <summary>Copies what was written to <paramref name="stream"/> (no second copy in memory).</summary>
    public void CopyTo(Stream stream) => stream.Write(Written);

    ReadOnlySpan<byte> Written => buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

    public void WriteBytes(int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(field, 2);
        WriteVarint((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    void WriteTag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

    void WriteVarint(ulong value)
    {
        for (; value >= 0x80; value >>= 7) buffer.WriteByte((byte)(value | 0x80));
        buffer.WriteByte((byte)value);
    }
}
