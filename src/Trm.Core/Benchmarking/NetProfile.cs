using TorchSharp;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>One kind of work in a net application: median milliseconds per call, and calls per net application.</summary>
public sealed record ProfileItem(string Operation, double Milliseconds, int Calls)
{
    public double Total => Milliseconds * Calls;
}

/// <summary>
/// Where one application of the 2-layer net spends its time (no gradients): the whole application, its matrix
/// products alone at the model's shapes, and each other kind of work timed alone at its shape — the weight casts
/// to the forward dtype, RMS norms, rotary, the attention kernel beyond its two matrix products, the SwiGLU gate
/// (silu(gate) * up) and the residual adds. What the parts do not explain is reported as unattributed (layout
/// copies, allocation, dispatch).
/// </summary>
public static class NetProfile
{
    public static IReadOnlyList<ProfileItem> Run(TrmConfig config, int batch, Device device, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var dtype = config.ForwardDtype.ToScalarType();
        long b = batch, s = config.TotalSeqLen, d = config.HiddenSize, heads = config.NumHeads, headDim = config.HeadDim;
        long inter = SwiGlu.InterSize(config.HiddenSize, config.Expansion);
        int layers = ModelFlops.NetLayers(config);
        bool attention = !config.MlpT;
        Tensor Random(params long[] shape) => randn(shape, dtype, device);
        double Time(Action work)
        {
            BenchmarkClock.Time(device, () => Scoped(work));
            return 1000 * BenchmarkClock.Median(Enumerable.Range(0, repeats).Select(_ => BenchmarkClock.Time(device, () => Scoped(work))).ToList());
        }

        using var net = new ReasoningModule(config, layers);
        net.to(device);
        var rotary = attention && config.PosEncodings == PosEncoding.Rope ? new RotaryEmbedding(config.HeadDim, config.TotalSeqLen, config.RopeTheta) : null;
        rotary?.to(device);
        var (h, injection) = (Random(b, s, d), Random(b, s, d));
        var weights = cat(net.parameters().Select(p => p.detach().flatten()).ToArray());   // float32, as the model keeps them

        var items = new List<ProfileItem>
        {
            new("net application", Time(() => net.forward(h, injection, rotary?.Tables)), 1),
            new("matmuls alone", 1000 * MatmulCeiling.MeasureNet(config, batch, device, repeats).MedianSeconds, 1),   // medians, as the parts
            new("weight casts", dtype == ScalarType.Float32 ? 0 : Time(() => weights.to(dtype)), 1),
            new("rms_norm", Time(() => RmsNorm.Apply(h, config.RmsNormEps)), 2 * layers),
            new("residual adds", Time(() => h.add(injection)), 2 * layers + 1),
        };
        var gateUp = Random(b * s, 2 * inter);
        items.Add(new("swiglu gate", Time(() => SiluGate(gateUp)), layers));
        if (attention)
        {
            var qkv = Random(b, s, 3 * heads, headDim);   // q, k and v heads, as Attention slices them
            double kernel = Time(() => AttentionKernel.Apply(qkv.narrow(2, 0, heads), qkv.narrow(2, heads, heads), qkv.narrow(2, 2 * heads, heads)));
            var (q, k, v) = (Random(b, heads, s, headDim), Random(b, heads, s, headDim), Random(b, heads, s, headDim));
            double products = Time(() => matmul(matmul(q, k.transpose(-1, -2)), v));
            items.Add(new("attention non-matmul", Math.Max(0, kernel - products), layers));
            if (rotary is not null)
                items.Add(new("rotary", Time(() => RotaryEmbedding.Apply(qkv.narrow(2, 0, 2 * heads), rotary.Tables)), layers));
        }
        else
        {
            long interT = SwiGlu.InterSize(config.TotalSeqLen, config.Expansion);
            var gateUpT = Random(b * d, 2 * interT);
            items.Add(new("mlp_t gate", Time(() => SiluGate(gateUpT)), layers));
        }
        double attributed = items.Skip(1).Sum(i => i.Total);
        items.Add(new("unattributed", Math.Max(0, items[0].Milliseconds - attributed), 1));
        return items;
    }

    static void Scoped(Action work)
    {
        using var scope = NewDisposeScope();
        work();
    }

    static void SiluGate(Tensor gateUp)
    {
        var halves = gateUp.chunk(2, -1);
        _ = nn.functional.silu(halves[0]) * halves[1];
    }
}
