using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>Maps the reference's dtype names (<c>float32</c>, <c>bfloat16</c>, <c>float16</c>) to TorchSharp's.</summary>
public static class ForwardDtype
{
    public static ScalarType Parse(string name) => name switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "float16" => ScalarType.Float16,
        _ => throw new TrmException($"forward_dtype '{name}' is not supported; use float32, bfloat16 or float16."),
    };
}
