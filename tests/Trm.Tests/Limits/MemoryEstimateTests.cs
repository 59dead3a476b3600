using Trm.Benchmarking;
using Trm.Configuration;
using Trm.Model;
using Trm.Tests.IO;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Trm.Tests.Limits;

/// <summary>
/// The memory estimate that admits or refuses a run (<see cref="MemoryEstimate"/>) against the peak resident memory a real training
/// step takes, on three model sizes where different parts dominate: activations (a small model at a large batch), both, and the
/// weights with their gradients, Adam state and EMA (a wide model at batch 2). Each must be within 2x of the measurement.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public class MemoryEstimateTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData(64, 64, 32)]     // activations dominate
    [InlineData(256, 16, 32)]    // both
    [InlineData(768, 2, 16)]     // weights, gradients, Adam and EMA dominate
    public void TheEstimateIsWithinTwiceTheMeasuredPeakOfATrainingStep(int hiddenSize, int batch, int seqLen)
    {
        var config = new TrainConfig { Lr = 1e-4, Beta1 = 0.9, Beta2 = 0.95, EmaRate = 0.999, Ema = true, GlobalBatchSize = batch };
        var model = new TrmConfig
        {
            SeqLen = seqLen, VocabSize = 12, NumPuzzleIdentifiers = 1, HiddenSize = hiddenSize, NumHeads = 4, Expansion = 4,
            HCycles = 2, LCycles = 2, LLayers = 2, PuzzleEmbNdim = 0, PuzzleEmbLen = 0, HaltMaxSteps = 2, ForwardDtype = ForwardDtype.Float32,
        };
        var threads = get_num_threads();
        set_num_threads(1);   // libtorch's per-thread buffers are not the model's
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = ResidentMemory.CurrentTrimmed();
            var measured = TrainingStepBenchmark.Run(config, model, batch, CPU, warmupSteps: 1, steps: 1, breakdownRepeats: 0);
            long peak = measured.PeakResidentBytes - before;
            long estimate = new MemoryEstimate(model).Training(batch, ema: true);
            log.WriteLine($"hidden {hiddenSize}, batch {batch}, seq {seqLen}: estimate {estimate / 1e6:F1} MB, measured peak {peak / 1e6:F1} MB ({(double)estimate / peak:F2}x)");
            Assert.InRange((double)estimate / peak, 0.5, 2.0);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
