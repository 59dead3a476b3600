using TorchSharp;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

public class StateDictLoaderMemoryTests
{
    [Fact]
    public void LoadingFreesItsConversionsAndLeavesTheCallersTensors()
    {
        using var source = new ActLossHead(TinyModels.Config());
        var bfloat16 = source.state_dict().ToDictionary(e => e.Key, e => e.Value.to(ScalarType.BFloat16));   // each converts back to float32
        using var model = new ActLossHead(TinyModels.Config());

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        StateDictLoader.Load(model, bfloat16, "weights.pt");
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        foreach (var (key, tensor) in model.state_dict()) TensorAssert.Identical(bfloat16[key].to(ScalarType.Float32), tensor);   // the caller's tensors are still usable
    }
}
