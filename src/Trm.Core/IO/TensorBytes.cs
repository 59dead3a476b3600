using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>Copies between raw little-endian element bytes and CPU tensors of any dtype.</summary>
public static class TensorBytes
{
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

    public static int ElementSize(this ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentException($"unsupported dtype {dtype}"),
    };
}
