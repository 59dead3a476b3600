using Trm.Training;

namespace Trm.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.0)]          // warmup starts at 0
    [InlineData(1, 1e-4 / 2000)]  // the first optimizer step
    [InlineData(1000, 0.5e-4)]    // half-way through warmup
    [InlineData(2000, 1e-4)]      // warmup done: cosine starts at the base rate
    [InlineData(6000, 0.55e-4)]   // half-way down the cosine to 0.1 x base: 0.1 + 0.9 * 0.5
    [InlineData(10000, 1e-5)]     // the end: base x min ratio
    public void WarmupThenCosineToTheMinimumRatio(long step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.At(step, baseLr: 1e-4, warmupSteps: 2000, totalSteps: 10000, minRatio: 0.1), 12);

    [Fact]
    public void PaperSettingIsConstantAfterWarmup()
    {
        foreach (var step in new long[] { 2000, 5000, 30000, 50000 })
            Assert.Equal(1e-4, LearningRateSchedule.At(step, 1e-4, 2000, 50000, minRatio: 1.0), 15);
    }
}
