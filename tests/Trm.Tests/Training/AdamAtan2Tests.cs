using Trm.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

public class AdamAtan2Tests
{
    [Fact]
    public void TwoStepsMatchTheFormulaByHand()
    {
        var p = new Parameter(tensor(new[] { 1.0f, -2.0f }));
        var optimizer = new AdamAtan2([p], lr: 0.01, beta1: 0.9, beta2: 0.95, weightDecay: 0.1);
        double[] w = [1.0, -2.0], m = [0, 0], v = [0, 0];
        double[][] grads = [[0.3, -0.001], [-0.2, 0.5]];

        for (int t = 1; t <= 2; t++)
        {
            p.grad = tensor(grads[t - 1].Select(g => (float)g).ToArray());
            optimizer.Step();
            for (int i = 0; i < 2; i++)
            {
                w[i] *= 1 - 0.01 * 0.1;
                m[i] += 0.1 * (grads[t - 1][i] - m[i]);
                v[i] += 0.05 * (grads[t - 1][i] * grads[t - 1][i] - v[i]);
                w[i] -= 0.01 * Math.Atan2(m[i] / (1 - Math.Pow(0.9, t)), Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.95, t)));
            }
            var actual = p.data<float>().ToArray();
            Assert.Equal(w[0], actual[0], 5);
            Assert.Equal(w[1], actual[1], 5);
        }
        Assert.Equal(2, optimizer.StepCount);
    }

    [Fact]
    public void ParametersWithoutGradientAreLeftAlone()
    {
        var p = new Parameter(tensor(new[] { 3.0f }));
        new AdamAtan2([p], lr: 0.1, weightDecay: 0.5).Step();
        Assert.Equal(3.0f, p.item<float>());
    }
}
