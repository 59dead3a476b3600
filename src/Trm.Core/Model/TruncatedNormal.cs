using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// JAX-style truncated normal initialisation, as the reference uses: samples are cut at
/// ±2 standard deviations and the std is corrected so the result really has the requested std
/// (PyTorch's <c>trunc_normal_</c> does not correct it).
/// </summary>
public static class TruncatedNormal
{
    public static Tensor Sample(long[] shape, double std, Generator? generator = null)
    {
        if (std == 0) return zeros(shape);
        const double lower = -2.0, upper = 2.0;
        double sqrt2 = Math.Sqrt(2);
        double a = Erf(lower / sqrt2), b = Erf(upper / sqrt2);
        double z = (b - a) / 2;
        double c = 1 / Math.Sqrt(2 * Math.PI);
        double pdfU = c * Math.Exp(-0.5 * lower * lower), pdfL = c * Math.Exp(-0.5 * upper * upper);
        double correctedStd = std / Math.Sqrt(1 - (upper * pdfU - lower * pdfL) / z - Math.Pow((pdfU - pdfL) / z, 2));

        using var noGrad = no_grad();
        var t = empty(shape).uniform_(a, b, generator);
        t.erfinv_().mul_(sqrt2 * correctedStd);
        return t.clamp_(lower * correctedStd, upper * correctedStd);
    }

    /// <summary>erf(x) by its Maclaurin series, accurate to double precision for the |x| ≤ √2 used here.</summary>
    static double Erf(double x)
    {
        double sum = 0, term = x;
        for (int n = 0; n < 60; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
