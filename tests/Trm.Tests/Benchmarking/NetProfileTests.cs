using Trm.Model;
using Trm.Benchmarking;
using static TorchSharp.torch;

namespace Trm.Tests.Benchmarking;

public class NetProfileTests
{
    [Theory]
    [InlineData(false, "float32")]
    [InlineData(true, "bfloat16")]
    public void ThePartsAccountForTheWholeNetApplication(bool mlpT, string dtype)
    {
        var config = new Trm.Model.TrmConfig
        {
            SeqLen = 12, VocabSize = 5, HiddenSize = 32, NumHeads = 2, Expansion = 2, PuzzleEmbNdim = 32, PuzzleEmbLen = 1,
            MlpT = mlpT, PosEncodings = mlpT ? PosEncoding.None : PosEncoding.Rope, ForwardDtype = ReferenceNames.Parse<ForwardDtype>(dtype, nameof(dtype)),
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
