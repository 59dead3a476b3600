using TorchSharp;
using Trm.Inference;
using Trm.Model;
using static TorchSharp.torch;
using Trm.Puzzles;
using Trm.Solving;

namespace Trm.Benchmarking;

/// <summary>
/// One inference run: <see cref="Puzzles"/> random puzzles through <see cref="Slots"/> batch slots, at most
/// <see cref="MaxSteps"/> supervision steps each, with adaptive halting above <see cref="HaltThreshold"/> (null:
/// fixed steps). <see cref="StepsUsed"/> sums the steps of all puzzles (the useful work).
/// </summary>
public sealed record InferenceMeasurement(int Slots, int Puzzles, int MaxSteps, double? HaltThreshold, double Seconds, long StepsUsed,
    long LiveTensorsBefore, long LiveTensorsAfter, long PeakResidentBytes)
{
    public double MeanSteps => Puzzles == 0 ? 0 : (double)StepsUsed / Puzzles;
}

/// <summary>
/// Evaluation without gradients through <see cref="SlotRecycler"/>, the path <c>trm solve</c> and adaptive <c>trm eval</c>
/// take: fixed steps (the reference's evaluation) or adaptive halting with slot recycling. One step of warm-up first.
/// </summary>
public static class InferenceBenchmark
{
    /// <param name="sampling">Test-time compute: each puzzle runs as its trajectories, so <paramref name="puzzles"/> counts runs (it should be a
    /// multiple of the trajectories); null: one run each.</param>
    public static InferenceMeasurement Run(TrmAct model, int slots, int puzzles, int maxSteps, double? haltThreshold, Device device, int seed = 0,
        Sampling? sampling = null)
    {
        int trajectories = sampling?.Trajectories ?? 1;
        var config = model.Config;
        var random = new Random(seed);
        var requests = Enumerable.Range(0, puzzles / trajectories)
            .Select(_ => new PuzzleRequest(Enumerable.Range(0, config.SeqLen).Select(_ => random.Next(1, config.VocabSize)).ToArray(),
                random.Next(config.NumPuzzleIdentifiers)))
            .ToList();

        using var engine = new ActStepEngine(model, device);
        SlotRecycler.Run(engine, requests.Take(slots), slots, HaltingPolicy.Fixed(1), keepSteps: false, _ => { });   // warm-up
        ResidentMemory.ResetPeak();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long stepsUsed = 0;
        int finished = 0;
        var policy = haltThreshold is { } p ? HaltingPolicy.Adaptive(maxSteps, p) : HaltingPolicy.Fixed(maxSteps);
        double seconds = BenchmarkClock.Time(device, () =>
        {
            if (sampling is null)
                SlotRecycler.Run(engine, requests, slots, policy, keepSteps: false, puzzle =>
                {
                    stepsUsed += puzzle.StepsUsed;
                    finished++;
                });
            else
                TrajectorySampler.Run(engine, requests, slots, policy, sampling, keepSteps: false, sampled =>
                {
                    stepsUsed += sampled.Runs.Sum(r => r.StepsUsed);
                    finished += sampled.Runs.Count;
                });
        });
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        if (finished != requests.Count * trajectories) throw new InvalidOperationException($"{finished} of {requests.Count * trajectories} runs finished");
        puzzles = finished;
        return new InferenceMeasurement(slots, puzzles, maxSteps, haltThreshold, seconds, stepsUsed, liveBefore, liveAfter, ResidentMemory.Peak());
    }
}
