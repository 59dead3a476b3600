using TorchSharp;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Model;

/// <summary>
/// The faster formulations in the model (rotary without cat, mlp_t without transposes, attention in plain operations
/// for bfloat16 on the CPU, one weight cast per supervision step) compute what the reference's formulation computes.
/// </summary>
public class KernelEquivalenceTests
{
    const long Batch = 3, Seq = 11, Heads = 4, HeadDim = 16;

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void RotaryGivesTheBitsOfTheReferenceRotateHalfFormula(ScalarType dtype)
    {
        var qkv = randn([Batch, Seq, 3 * Heads, HeadDim], generator: new Generator(1)).to(dtype);
        var qk = qkv.narrow(2, 0, 2 * Heads);   // a view, as Attention passes it

        // The reference: tables from cat(freqs, freqs), rotate_half(x) = cat(-x2, x1), in float32, cast back.
        var invFreq = 1.0 / pow(10000.0, arange(0, HeadDim, 2, ScalarType.Float32) / HeadDim);
        var emb = cat([outer(arange(Seq, ScalarType.Float32), invFreq), outer(arange(Seq, ScalarType.Float32), invFreq)], -1);
        var x = qk.to(ScalarType.Float32);
        var rotated = cat([-x.narrow(-1, HeadDim / 2, HeadDim / 2), x.narrow(-1, 0, HeadDim / 2)], -1);
        var expected = (x * emb.cos().unsqueeze(-2) + rotated * emb.sin().unsqueeze(-2)).to(dtype);

        var actual = RotaryEmbedding.Apply(qk, new RotaryEmbedding((int)HeadDim, (int)Seq, 10000).Tables);

        Assert.Equal(dtype, actual.dtype);
        Assert.True(actual.eq(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-6)]
    [InlineData(ScalarType.BFloat16, 8e-3)]
    public void SwiGluAlongAxis1EqualsTheLayerOnTheTransposedInput(ScalarType dtype, double tolerance)
    {
        var layer = new SwiGlu((int)Seq, 4);   // mixes Seq positions, as mlp_t does
        var h = randn([Batch, Seq, 32], generator: new Generator(2)).to(dtype);

        var expected = layer.forward(h.transpose(1, 2)).transpose(1, 2).to(ScalarType.Float32);   // the reference's layout
        var actual = layer.ForwardAlongAxis1(h);

        Assert.Equal(dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.InRange(((actual.to(ScalarType.Float32) - expected).norm() / expected.norm()).item<float>(), 0, tolerance);
    }

    [Fact]
    public void AnMlpTLayerGivesTheSameValuesWithAndWithoutGradient()
    {
        // Without gradient in bfloat16 the layer mixes positions along axis 1; with gradient it transposes as the reference does.
        var config = TinyModels.Config(mlpT: true, pos: "none", dtype: "bfloat16");
        var block = new TrmBlock(config);
        var h = randn([Batch, config.TotalSeqLen, config.HiddenSize], generator: new Generator(5)).to(ScalarType.BFloat16);

        var withGradient = block.forward(h, null).detach().to(ScalarType.Float32);
        Tensor withoutGradient;
        using (no_grad()) withoutGradient = block.forward(h, null).to(ScalarType.Float32);

        Assert.InRange(((withoutGradient - withGradient).norm() / withGradient.norm()).item<float>(), 0, 8e-3);
    }

    [Fact]
    public void BFloat16AttentionOnTheCpuIsAsAccurateAsTheFusedKernel()
    {
        // Peaked attention (large scores) is where rounding the scores to bfloat16 would show.
        var generator = new Generator(3);
        var q = (4 * randn([Batch, Seq, Heads, HeadDim], generator: generator)).to(ScalarType.BFloat16);
        var k = (4 * randn([Batch, Seq, Heads, HeadDim], generator: generator)).to(ScalarType.BFloat16);
        var v = randn([Batch, Seq, Heads, HeadDim], generator: generator).to(ScalarType.BFloat16);

        Tensor Heads64(Tensor t) => t.transpose(1, 2).to(ScalarType.Float64);   // (B, heads, S, D)
        var exact = matmul(softmax(matmul(Heads64(q), Heads64(k).transpose(-1, -2)) / Math.Sqrt(HeadDim), -1), Heads64(v))
            .transpose(1, 2).reshape(Batch, Seq, Heads * HeadDim);
        var fused = nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
            .transpose(1, 2).reshape(Batch, Seq, Heads * HeadDim);
        var ours = AttentionKernel.Apply(q, k, v);

        double Error(Tensor t) => (t.to(ScalarType.Float64) - exact).abs().max().item<double>();
        Assert.Equal(ScalarType.BFloat16, ours.dtype);
        Assert.InRange(Error(ours), 0, Math.Max(1.25 * Error(fused), 1e-3));
        Assert.InRange(Error(ours), 0, exact.abs().max().item<double>() / 128);   // within bfloat16 rounding of the output
    }

    [Fact]
    public void CachedWeightCastsServePassesWithoutGradientOnly()
    {
        var layer = new CastedLinear(8, 4, bias: false);
        var x = randn([2, 8], generator: new Generator(4)).to(ScalarType.BFloat16);
        var expected = nn.functional.linear(x, layer.Weight.detach().to(ScalarType.BFloat16));

        using (var casts = new WeightCastCache([layer], ScalarType.BFloat16))
        {
            using (no_grad())
            {
                Assert.Same(layer.CastWeight(ScalarType.BFloat16), layer.CastWeight(ScalarType.BFloat16));   // one cast, reused
                Assert.True(layer.forward(x).eq(expected).all().item<bool>());
            }
            // With gradient a fresh cast per use keeps the path to the float32 weight.
            layer.forward(x).to(ScalarType.Float32).sum().backward();
            Assert.NotNull(layer.Weight.grad);
        }
        using (no_grad())
            Assert.NotSame(layer.CastWeight(ScalarType.BFloat16), layer.CastWeight(ScalarType.BFloat16));   // closed: nothing cached
    }
}
