using static TorchSharp.torch;

namespace Trm.Verification;

/// <summary>One array compared with the reference: relative error ‖ours − ref‖ / ‖ref‖, or exact equality.</summary>
public sealed record Comparison(string Name, double Error, double Tolerance, bool Exact)
{
    public bool Passed => Exact ? Error == 0 : Error <= Tolerance;

    public override string ToString() => Exact
        ? $"{(Passed ? "ok  " : "FAIL")} {Name,-72} {(Passed ? "identical" : $"{Error} elements differ")}"
        : $"{(Passed ? "ok  " : "FAIL")} {Name,-72} rel err {Error:0.00e+00} (tol {Tolerance:0e+00})";

    public static Comparison Relative(string name, Tensor ours, Tensor reference, double tolerance)
    {
        using var scope = NewDisposeScope();
        var a = ours.detach().to(ScalarType.Float64, CPU).flatten();
        var b = reference.to(ScalarType.Float64, CPU).flatten();
        if (a.shape[0] != b.shape[0]) return new Comparison(name + " (shape differs)", double.PositiveInfinity, tolerance, false);
        double refNorm = b.norm().item<double>();
        double diffNorm = (a - b).norm().item<double>();
        double error = refNorm == 0 ? diffNorm : diffNorm / refNorm;
        return new Comparison(name, double.IsNaN(error) ? double.PositiveInfinity : error, tolerance, false);
    }

    public static Comparison Identical(string name, Tensor ours, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = ours.detach().to(ScalarType.Int64, CPU).flatten();
        var b = reference.to(ScalarType.Int64, CPU).flatten();
        if (a.shape[0] != b.shape[0]) return new Comparison(name + " (shape differs)", double.PositiveInfinity, 0, true);
        return new Comparison(name, (a != b).sum().item<long>(), 0, true);
    }
}
