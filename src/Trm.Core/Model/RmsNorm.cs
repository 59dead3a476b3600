using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>Weightless RMS normalisation over the last dimension, computed in float32.</summary>
public static class RmsNorm
{
    public static Tensor Apply(Tensor x, double eps)
    {
        var dtype = x.dtype;
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.square().mean([-1], keepdim: true);
        return (x32 * rsqrt(variance + eps)).to(dtype);
    }
}
