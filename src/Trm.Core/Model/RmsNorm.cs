using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>Weightless RMS normalisation over one dimension (the last unless told), computed in float32.</summary>
public static class RmsNorm
{
    public static Tensor Apply(Tensor x, double eps, long dim = -1)
    {
        var dtype = x.dtype;
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.square().mean([dim], keepdim: true);
        return (x32 * rsqrt(variance + eps)).to(dtype);
    }
}
