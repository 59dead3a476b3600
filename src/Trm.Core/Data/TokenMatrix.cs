using System.Buffers;
using System.IO.MemoryMappedFiles;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Data;

/// <summary>
/// A (rows, seq_len) <c>.npy</c> array of token ids, memory-mapped rather than loaded (ARC with 1000
/// augmentations is several GB). Any integer dtype the reference's builders write is accepted; rows
/// are copied out as int32.
/// </summary>
public sealed class TokenMatrix : IDisposable
{
    readonly MemoryMappedFile file;
    readonly MemoryMappedViewAccessor view;
    readonly long dataOffset;
    readonly int elementSize;

    public string Path { get; }
    public ScalarType Dtype { get; }
    public long Rows { get; }
    public int Columns { get; }

    public TokenMatrix(string path)
    {
        Path = path;
        var (dtype, shape, offset) = NpyFormat.ReadHeader(path);
        if (dtype is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
            throw new TrmException($"{path}: token arrays must hold integers, this one holds {dtype}. Rebuild the dataset.");
        if (shape.Length != 2) throw new TrmException($"{path}: token arrays must be 2-D (examples, seq_len), this one has shape [{string.Join(", ", shape)}].");
        if (shape[1] is < 1 or > int.MaxValue) throw new TrmException($"{path}: token arrays must have 1 to {int.MaxValue} columns (seq_len), this one has shape [{string.Join(", ", shape)}].");
        (Dtype, Rows, Columns, dataOffset, elementSize) = (dtype, shape[0], (int)shape[1], offset, dtype.ElementSize());
        long expected = dataOffset + Rows * Columns * elementSize;
        long actual = new FileInfo(path).Length;
        if (actual < expected) throw new TrmException($"{path}: truncated ({actual} bytes, the header's shape [{Rows}, {Columns}] needs {expected}). Rebuild the dataset.");
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
    }

    /// <summary>Copies row <paramref name="row"/> into <paramref name="destination"/> (length seq_len) as int32.</summary>
    public void CopyRow(long row, Span<int> destination)
    {
        if ((ulong)row >= (ulong)Rows) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} of {Rows} in {Path}");
        // Called per row on the loader's hot path: borrow the staging buffer instead of allocating one.
        var values = ArrayPool<long>.Shared.Rent(Columns);
        try
        {
            ReadBlock(dataOffset + row * Columns * elementSize, values.AsSpan(0, Columns));
            for (int i = 0; i < Columns; i++) destination[i] = checked((int)values[i]);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(values);
        }
    }

    /// <summary>The smallest and largest token of the whole array (read in blocks of rows: bounded memory however large it is).</summary>
    public (long Min, long Max) Range()
    {
        long min = long.MaxValue, max = long.MinValue;
        int rowsPerBlock = Math.Max(1, (1 << 20) / Columns);
        var block = new long[(long)rowsPerBlock * Columns];
        for (long start = 0; start < Rows; start += rowsPerBlock)
        {
            int rows = (int)Math.Min(rowsPerBlock, Rows - start);
            var values = block.AsSpan(0, rows * Columns);
            ReadBlock(dataOffset + start * Columns * elementSize, values);
            foreach (var v in values)
            {
                if (v < min) min = v;
                if (v > max) max = v;
            }
        }
        return (min, max);
    }

    void ReadBlock(long position, Span<long> destination)
    {
        switch (Dtype)
        {
            case ScalarType.Byte: ReadWidened<byte>(position, destination, b => b); break;
            case ScalarType.Int8: ReadWidened<sbyte>(position, destination, b => b); break;
            case ScalarType.Int16: ReadWidened<short>(position, destination, s => s); break;
            case ScalarType.Int32: ReadWidened<int>(position, destination, i => i); break;
            default: ReadWidened<long>(position, destination, l => l); break;
        }
    }

    void ReadWidened<T>(long position, Span<long> destination, Func<T, long> widen) where T : struct
    {
        var buffer = ArrayPool<T>.Shared.Rent(destination.Length);
        try
        {
            view.ReadArray(position, buffer, 0, destination.Length);
            for (int i = 0; i < destination.Length; i++) destination[i] = widen(buffer[i]);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }
}
