using TorchSharp;
using Trm.Configuration;
using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>
/// Timings of training steps: the median step (forward with the H/L recursion, loss, backward, SignSGD on the
/// puzzle rows, Adam-atan2, EMA), and, to see where a step goes, the forward with loss alone and the weight
/// optimizer with EMA alone (backward = step - forward - optimizers). Live tensors and resident memory are read
/// after the warm-up and after the timed steps (resident memory once freed heap memory is handed back, so the two
/// compare what is in use); the peak covers the warm-up and the timed steps.
/// </summary>
public sealed record TrainingMeasurement(int Batch, int Steps, double MedianStepSeconds, double MeanStepSeconds,
    double ForwardSeconds, double OptimizerSeconds, long LiveTensorsBefore, long LiveTensorsAfter,
    long ResidentBytesBefore, long ResidentBytesAfter, long PeakResidentBytes);

public static class TrainingStepBenchmark
{
    /// <param name="progress">(done, total) timed steps.</param>
    public static TrainingMeasurement Run(TrainConfig config, TrmConfig modelConfig, int batchSize, Device device, int warmupSteps, int steps,
        int breakdownRepeats, Action<int, int>? progress = null)
    {
        ResidentMemory.ResetPeak();
        manual_seed(config.Seed);

        // As the trainer builds it (the learning rates are the configured peaks: the schedule does not change the cost).
        var model = new ActLossHead(modelConfig, config.Arch.Loss.LossType);
        model.to(device);
        using var setup = new TrainingSetup(model, TrainingSettings.From(config) with { GlobalBatchSize = batchSize }, device);
        var (step, weightOptimizer, ema) = (setup.Step, setup.WeightOptimizer, setup.Ema);
        var batch = SyntheticBatch(modelConfig, batchSize, config.Seed, device);
        try
        {
            for (int i = 0; i < warmupSteps; i++) step.Run(batch);
            long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount, residentBefore = ResidentMemory.CurrentTrimmed();

            var times = new List<double>(steps);
            for (int i = 0; i < steps; i++)
            {
                times.Add(BenchmarkClock.Time(device, () => step.Run(batch)));
                progress?.Invoke(i + 1, steps);
            }
            long peak = ResidentMemory.Peak();
            long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount, residentAfter = ResidentMemory.CurrentTrimmed();

            // Forward with loss alone (recording the last H cycle's graph, as in training), from a fresh carry.
            var forward = Enumerable.Range(0, breakdownRepeats).Select(_ => BenchmarkClock.Time(device, () =>
            {
                using var scope = NewDisposeScope();
                model.train();
                model.Forward(model.InitialCarry(batch), batch);
            })).ToList();
            // The weight optimizer and EMA alone, on the (zeroed) gradients the last step left.
            var optimizers = Enumerable.Range(0, breakdownRepeats).Select(_ => BenchmarkClock.Time(device, () =>
            {
                weightOptimizer?.Step();
                ema?.Update(model);
            })).ToList();

            return new TrainingMeasurement(batchSize, steps, BenchmarkClock.Median(times), times.Average(),
                forward.Count > 0 ? BenchmarkClock.Median(forward) : double.NaN, optimizers.Count > 0 ? BenchmarkClock.Median(optimizers) : double.NaN,
                liveBefore, liveAfter, residentBefore, residentAfter, peak);
        }
        finally
        {
            batch.Inputs.Dispose();
            batch.Labels.Dispose();
            batch.PuzzleIdentifiers.Dispose();
        }
    }

    /// <summary>Random tokens, labels and puzzle ids of <paramref name="batchSize"/> rows of the config's shape (int32, as the loader makes them).</summary>
    public static TrmBatch SyntheticBatch(TrmConfig config, int batchSize, int seed, Device device)
    {
        using var generator = new Generator((ulong)seed);
        long[] shape = [batchSize, config.SeqLen];
        Tensor OnDevice(Tensor t)
        {
            if (device.type == DeviceType.CPU) return t;
            using (t) return t.to(device);
        }
        return new TrmBatch(
            OnDevice(randint(0, config.VocabSize, shape, generator: generator, dtype: ScalarType.Int32)),
            OnDevice(randint(0, config.VocabSize, shape, generator: generator, dtype: ScalarType.Int32)),
            OnDevice(randint(0, config.NumPuzzleIdentifiers, [batchSize], generator: generator, dtype: ScalarType.Int32)));
    }
}
