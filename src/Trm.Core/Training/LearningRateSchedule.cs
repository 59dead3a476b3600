namespace Trm.Training;

/// <summary>
/// The reference's schedule: linear warmup from 0 over <c>warmupSteps</c>, then half a cosine from
/// <c>baseLr</c> down to <c>baseLr * minRatio</c> at <c>totalSteps</c> (the paper uses minRatio 1: constant).
/// Steps count from 1 (the first optimizer step uses step 1).
/// </summary>
public static class LearningRateSchedule
{
    public static double At(long step, double baseLr, long warmupSteps, long totalSteps, double minRatio)
    {
        if (step < warmupSteps) return baseLr * step / Math.Max(1, warmupSteps);
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return baseLr * (minRatio + Math.Max(0.0, (1 - minRatio) * 0.5 * (1.0 + Math.Cos(Math.PI * progress))));
    }
}
