using Trm.Benchmarking;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Benchmarking;

public class MatmulCeilingTests
{
    [Theory]
    [InlineData(ForwardDtype.Float32, "float32")]
    [InlineData(ForwardDtype.BFloat16, "bfloat16")]
    public void TheCeilingIsAPositiveFiniteRate(ForwardDtype dtype, string name)
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
        var config = new Trm.Model.TrmConfig { SeqLen = 12, VocabSize = 5, HiddenSize = 32, NumHeads = 2, Expansion = 2, PuzzleEmbNdim = 32, PuzzleEmbLen = 1 };
        foreach (var mlpT in new[] { false, true })
        {
            var rate = MatmulCeiling.MeasureNet(config with { MlpT = mlpT, ForwardDtype = ForwardDtype.Float32 }, batch: 2, CPU, repeats: 2);
            Assert.True(double.IsFinite(rate.Gflops) && rate.Gflops > 0);
            Assert.Equal(ModelFlops.Of(config with { MlpT = mlpT }).NetApplication * 2 / rate.BestSeconds / 1e9, rate.Gflops, 6);
        }
    }
}
