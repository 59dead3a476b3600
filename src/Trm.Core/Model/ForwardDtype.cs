using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary><c>forward_dtype</c>: the dtype activations are computed in (weights, norms and losses stay float32).</summary>
[JsonConverter(typeof(ReferenceNameConverter<ForwardDtype>))]
public enum ForwardDtype
{
    [JsonStringEnumMemberName("float32")] Float32,
    [JsonStringEnumMemberName("bfloat16")] BFloat16,
    [JsonStringEnumMemberName("float16")] Float16,
}

public static class ForwardDtypes
{
    public static ScalarType ToScalarType(this ForwardDtype dtype) => dtype switch
    {
        ForwardDtype.BFloat16 => ScalarType.BFloat16,
        ForwardDtype.Float16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };
}
