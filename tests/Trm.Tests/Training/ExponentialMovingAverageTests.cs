using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void ShadowFollowsTheWeightsAtTheGivenRate()
    {
        var layer = new CastedLinear(2, 1, bias: false);
        using (no_grad()) layer.Weight.copy_(tensor(new[] { 1.0f, 2.0f }).view(1, 2));
        using var ema = new ExponentialMovingAverage(layer, rate: 0.9);

        using (no_grad()) layer.Weight.copy_(tensor(new[] { 11.0f, 2.0f }).view(1, 2));
        ema.Update(layer);   // 0.1 * 11 + 0.9 * 1 = 2.0

        var target = new CastedLinear(2, 1, bias: false);
        ema.CopyTo(target);
        Assert.Equal(new[] { 2.0f, 2.0f }, target.Weight.flatten().data<float>().ToArray());
    }
}
