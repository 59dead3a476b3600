using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>
/// A matrix-product rate over <see cref="Repeats"/> timings: <see cref="Gflops"/> from the fastest (other work on the
/// machine only ever slows a product down, so the best is the closest to what the hardware does), and the median.
/// </summary>
public sealed record MatmulRate(string Dtype, string Shape, int Repeats, double BestSeconds, double MedianSeconds, double Gflops)
{
    public static MatmulRate From(string dtype, string shape, double flops, IReadOnlyList<double> seconds)
    {
        double best = seconds.Min();
        return new MatmulRate(dtype, shape, seconds.Count, best, BenchmarkClock.Median(seconds), flops / best / 1e9);
    }
}

/// <summary>
/// What the device's matrix products reach through the same libtorch the model uses. The ceiling: square
/// n x n products, n grown from 256 until the fastest of three takes about <c>targetSeconds</c> (at least half
/// of it), then the fastest of <c>repeats</c>. The net's own products: the matrix products of one application of the 2-layer net at
/// the model's shapes (no casts, norms or other elementwise work), which bounds what the model can reach.
/// </summary>
public static class MatmulCeiling
{
    public static MatmulRate Measure(ForwardDtype dtype, Device device, double targetSeconds = 0.1, int repeats = 5, int maxSize = 8192)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats));
        using var scope = NewDisposeScope();
        int n = Math.Min(256, maxSize);
        while (true)
        {
            var (a, b) = (randn(n, n, dtype.ToScalarType(), device), randn(n, n, dtype.ToScalarType(), device));
            Product(device, a, b);                       // warm-up at this size
            // The fastest of three decides the size: one product can be preempted by other work.
            double seconds = Enumerable.Range(0, 3).Min(_ => Product(device, a, b));
            if (seconds >= targetSeconds / 2 || n >= maxSize)
            {
                var times = Enumerable.Range(0, repeats).Select(_ => Product(device, a, b)).ToList();
                return MatmulRate.From(ReferenceNames.Of(dtype), $"{n}x{n} @ {n}x{n}", 2.0 * n * n * n, times);
            }
            int grown = (int)(n * Math.Cbrt(targetSeconds / Math.Max(seconds, 1e-6)));
            n = Math.Min(maxSize, Math.Max(n + 256, (grown + 255) / 256 * 256));
            a.Dispose();
            b.Dispose();
        }
    }

    /// <summary>The matrix products of one net application (forward) for <paramref name="batch"/> samples, timed alone.</summary>
    public static MatmulRate MeasureNet(TrmConfig config, int batch, Device device, int repeats = 5)
    {
        var dtype = config.ForwardDtype;
        using var scope = NewDisposeScope();
        long b = batch, s = config.TotalSeqLen, d = config.HiddenSize, heads = config.NumHeads, headDim = config.HeadDim;
        long inter = SwiGlu.InterSize(config.HiddenSize, config.Expansion);
        Tensor Random(params long[] shape) => randn(shape, dtype.ToScalarType(), device);

        var x = Random(b * s, d);                                                   // the latent, one row per position
        var gateUp = Random(2 * inter, d);
        var hidden = Random(b * s, inter);
        var down = Random(d, inter);
        Action mixing;
        if (config.MlpT)
        {
            long interT = SwiGlu.InterSize(config.TotalSeqLen, config.Expansion);
            var xt = Random(b * d, s);                                              // transposed: one row per feature
            var (gateUpT, hiddenT, downT) = (Random(2 * interT, s), Random(b * d, interT), Random(s, interT));
            mixing = () =>
            {
                nn.functional.linear(xt, gateUpT).Dispose();
                nn.functional.linear(hiddenT, downT).Dispose();
            };
        }
        else
        {
            var (qkv, output) = (Random(3 * d, d), Random(d, d));
            var (q, k, v) = (Random(b * heads, s, headDim), Random(b * heads, headDim, s), Random(b * heads, s, headDim));
            var scores = Random(b * heads, s, s);
            mixing = () =>
            {
                nn.functional.linear(x, qkv).Dispose();
                bmm(q, k).Dispose();                                                 // q k^T: (B*heads, S, S)
                bmm(scores, v).Dispose();                                            // scores v: (B*heads, S, head_dim)
                nn.functional.linear(x, output).Dispose();
            };
        }
        void Net()
        {
            for (int layer = 0; layer < ModelFlops.NetLayers(config); layer++)
            {
                mixing();
                nn.functional.linear(x, gateUp).Dispose();
                nn.functional.linear(hidden, down).Dispose();
            }
        }

        BenchmarkClock.Time(device, Net);   // warm-up
        var times = Enumerable.Range(0, repeats).Select(_ => BenchmarkClock.Time(device, Net)).ToList();
        return MatmulRate.From(ReferenceNames.Of(dtype), $"net x{ModelFlops.NetLayers(config)} layers, batch {batch}, S {s}", ModelFlops.Of(config).NetApplication * batch, times);
    }

    static double Product(Device device, Tensor a, Tensor b) => BenchmarkClock.Time(device, () => a.matmul(b).Dispose());
}
