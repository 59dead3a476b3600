using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>Copies between raw little-endian element bytes and CPU tensors of any dtype.</summary>
public static class TensorBytes
{
    /// <summary>Bytes moved per span: a span is limited to 2 GiB, a puzzle-embedding table can be larger.</summary>
    const long ChunkBytes = 1L << 28;

    public static Tensor ToTensor(byte[] bytes, ScalarType dtype, long[] shape)
    {
        var tensor = empty(shape, dtype);
        tensor.bytes = bytes;
        return tensor;
    }

    public static byte[] FromTensor(Tensor tensor)
    {
        using var cpu = tensor.to(CPU).contiguous();
        return cpu.bytes.ToArray();
    }

    /// <summary>
    /// Fills a contiguous CPU tensor with exactly its size in bytes from <paramref name="stream"/>, straight
    /// into the tensor's memory (no intermediate buffer). Throws <see cref="EndOfStreamException"/> when the stream ends first.
    /// </summary>
    public static void ReadInto(Stream stream, Tensor tensor)
    {
        foreach (var chunk in Chunks(tensor))
            using (chunk)
                stream.ReadExactly(chunk.bytes);
    }

    /// <summary>Writes a tensor's bytes (C order, little-endian) to <paramref name="stream"/>; copies only a non-contiguous or non-CPU tensor.</summary>
    public static void WriteTo(Stream stream, Tensor tensor)
    {
        using var cpu = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor.contiguous() : tensor.to(CPU).contiguous();
        foreach (var chunk in Chunks(cpu))
            using (chunk)
                stream.Write(chunk.bytes);
    }

    /// <summary>Byte size of a tensor's elements.</summary>
    public static long ByteSize(this Tensor tensor) => tensor.numel() * tensor.dtype.ElementSize();

    // Consecutive 1-D slices of a contiguous tensor, each small enough for one span.
    static IEnumerable<Tensor> Chunks(Tensor tensor)
    {
        if (!tensor.is_contiguous()) throw new ArgumentException("tensor must be contiguous");
        long count = tensor.numel(), perChunk = Math.Max(1, ChunkBytes / tensor.dtype.ElementSize());
        if (count == 0) yield break;
        using var flat = tensor.view(-1);
        for (long start = 0; start < count; start += perChunk)
            yield return flat.narrow(0, start, Math.Min(perChunk, count - start));
    }

    public static int ElementSize(this ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentException($"unsupported dtype {dtype}"),
    };
}
