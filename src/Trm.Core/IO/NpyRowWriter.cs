using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Streams the rows of a 2-D uint8 array (rows, rowLength) into a <c>.npy</c> file without holding
/// them in memory: the header reserves room for any row count and is rewritten by <see cref="Complete"/>.
/// </summary>
public sealed class NpyRowWriter : IDisposable
{
    const int DataOffset = 128;  // two 64-byte blocks fit the header of any (rows, rowLength) shape

    readonly FileStream stream;
    readonly int rowLength;

    public long Rows { get; private set; }

    public NpyRowWriter(string path, int rowLength)
    {
        this.rowLength = rowLength;
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        NpyFormat.WriteHeader(stream, ScalarType.Byte, [long.MaxValue, rowLength], DataOffset);
    }

    public void Append(ReadOnlySpan<byte> row)
    {
        if (row.Length != rowLength) throw new ArgumentException($"row of {row.Length} tokens, expected {rowLength}");
        stream.Write(row);
        Rows++;
    }

    /// <summary>Writes the final shape into the header and closes the file.</summary>
    public void Complete()
    {
        stream.Position = 0;
        NpyFormat.WriteHeader(stream, ScalarType.Byte, [Rows, rowLength], DataOffset);
        stream.Dispose();
    }

    public void Dispose() => stream.Dispose();
}
