using static TorchSharp.torch;

namespace Trm.Verification;

/// <summary>
/// One array compared with the reference: relative error ‖ours − ref‖ / ‖ref‖ against <see cref="Tolerance"/>, or with
/// <see cref="Exact"/> the number of differing elements against the number allowed. <see cref="Spread"/> is the reference's
/// own spread (or flips) for the array when its fixture records one.
/// </summary>
public sealed record Comparison(string Name, double Error, double Tolerance, bool Exact, double? Spread = null)
{
    public bool Passed => Error <= Tolerance;

    public override string ToString()
    {
        var spread = Spread is { } s ? Exact ? $", reference flips {s:0}" : $", reference spread {s:0.00e+00}" : "";
        return Exact
            ? $"{(Passed ? "ok  " : "FAIL")} {Name,-72} {(Error == 0 ? "identical" : $"{Error} elements differ")} (allowed {Tolerance:0}{spread})"
            : $"{(Passed ? "ok  " : "FAIL")} {Name,-72} rel err {Error:0.00e+00} (tol {Tolerance:0.0e+00}{spread})";
    }

    public static Comparison Relative(string name, Tensor ours, Tensor reference, double tolerance, double? spread = null)
    {
        using var scope = NewDisposeScope();
        var a = ours.detach().to(ScalarType.Float64, CPU).flatten();
        var b = reference.to(ScalarType.Float64, CPU).flatten();
        if (a.shape[0] != b.shape[0]) return new Comparison(name + " (shape differs)", double.PositiveInfinity, tolerance, false, spread);
        double refNorm = b.norm().item<double>();
        double diffNorm = (a - b).norm().item<double>();
        double error = refNorm == 0 ? diffNorm : diffNorm / refNorm;
        return new Comparison(name, double.IsNaN(error) ? double.PositiveInfinity : error, tolerance, false, spread);
    }

    public static Comparison Identical(string name, Tensor ours, Tensor reference, long allowed = 0, double? flips = null)
    {
        using var scope = NewDisposeScope();
        var a = ours.detach().to(ScalarType.Int64, CPU).flatten();
        var b = reference.to(ScalarType.Int64, CPU).flatten();
        if (a.shape[0] != b.shape[0]) return new Comparison(name + " (shape differs)", double.PositiveInfinity, allowed, true, flips);
        return new Comparison(name, (a != b).sum().item<long>(), allowed, true, flips);
    }
}
