using TorchSharp;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Model;

public class PassMemoryTests
{
    /// <summary>Tensors a no-gradient supervision step leaves alive in the caller's dispose scope.</summary>
    static long LiveAfterOneStep(int hCycles, int lCycles)
    {
        var config = TinyModels.Config() with { HCycles = hCycles, LCycles = lCycles };
        using var model = new ActLossHead(config);
        model.eval();
        var batch = TinyModels.Batch(config);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var carry = model.Model.Inner.EmptyCarry(TinyModels.BatchSize, CPU);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        model.Model.Inner.Forward(carry, batch);
        return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
    }

    [Fact]
    public void WithoutGradientsEachNetworkPassKeepsOnlyItsResult()
    {
        // H2 L2 runs 6 passes of the network, H3 L4 runs 15. Each pass may leave its result and its input sum; the
        // attention and MLP intermediates (dozens of tensors per pass) must be gone when the pass returns.
        long perPass = (LiveAfterOneStep(3, 4) - LiveAfterOneStep(2, 2)) / 9;
        Assert.InRange(perPass, 0, 2);
    }
}
