using Trm.Benchmarking;
using static TorchSharp.torch;

namespace Trm.Tests.Benchmarking;

public class MatmulCeilingTests
{
    [Theory]
    [InlineData(ScalarType.Float32, "float32")]
    [InlineData(ScalarType.BFloat16, "bfloat16")]
    public void TheCeilingIsAPositiveFiniteRate(ScalarType dtype, string name)
    {
        var rate = MatmulCeiling.Measure(dtype, CPU, targetSeconds: 0.002, repeats: 3, maxSize: 512);

        Assert.Equal(name, rate.Dtype);
        Assert.Equal(3, rate.Repeats);
        Assert.True(double.IsFinite(rate.Gflops) && rate.Gflops > 0, $"{rate.Gflops} GFLOP/s");
        Assert.True(rate.BestSeconds > 0 && rate.BestSeconds <= rate.MedianSeconds);
        // The rate is 2 n^3 over the fastest time at the size it settled on (at most 512).
        int n = int.Parse(rate.Shape.Split('x')[0]);
        Assert.InRange(n, 256, 512);
        Assert.Equal(2.0 * n * n * n / rate.BestSeconds / 1e9, rate.Gflops, 6);
    }

    [Fact]
    public void TheNetsMatrixProductsGiveAPositiveRateFromTheFlopCount()
    {
        var config = new Trm.Model.TrmConfig { BatchSize = 2, SeqLen = 12, VocabSize = 5, HiddenSize = 32, NumHeads = 2, Expansion = 2, PuzzleEmbNdim = 32, PuzzleEmbLen = 1 };
        foreach (var mlpT in new[] { false, true })
        {
            var rate = MatmulCeiling.MeasureNet(config with { MlpT = mlpT }, batch: 2, ScalarType.Float32, CPU, repeats: 2);
            Assert.True(double.IsFinite(rate.Gflops) && rate.Gflops > 0);
            Assert.Equal(ModelFlops.Of(config with { MlpT = mlpT }).NetApplication * 2 / rate.BestSeconds / 1e9, rate.Gflops, 6);
        }
    }
}

public class NetProfileTests
{
    [Theory]
    [InlineData(false, "float32")]
    [InlineData(true, "bfloat16")]
    public void ThePartsAccountForTheWholeNetApplication(bool mlpT, string dtype)
    {
        var config = new Trm.Model.TrmConfig
        {
            BatchSize = 2, SeqLen = 12, VocabSize = 5, HiddenSize = 32, NumHeads = 2, Expansion = 2, PuzzleEmbNdim = 32, PuzzleEmbLen = 1,
            MlpT = mlpT, PosEncodings = mlpT ? "none" : "rope", ForwardDtype = dtype,
        };
        var items = NetProfile.Run(config, batch: 2, CPU, repeats: 2);

        Assert.Equal("net application", items[0].Operation);
        Assert.Equal("unattributed", items[^1].Operation);
        Assert.Contains(items, i => i.Operation == (mlpT ? "mlp_t gate" : "attention non-matmul"));
        Assert.Equal(!mlpT, items.Any(i => i.Operation == "rotary"));
        Assert.All(items, i => Assert.True(double.IsFinite(i.Milliseconds) && i.Milliseconds >= 0 && i.Calls >= 1, i.Operation));
        Assert.Equal(5, items.Single(i => i.Operation == "residual adds").Calls);   // 2 per layer x 2 layers + the injection
        Assert.True(items.Skip(1).Sum(i => i.Total) >= items[0].Milliseconds * (1 - 1e-9));
    }
}
