using System.Diagnostics;
using TorchSharp;
using Trm.Inference;
using Trm.Model;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>Which preset and phase a benchmark is measuring: <see cref="Done"/> of <see cref="Total"/> (steps, or 0/1 for a phase).</summary>
public readonly record struct BenchmarkProgress(string Preset, string Phase, int Done, int Total);

/// <summary>
/// Runs <c>trm bench</c> in one process: the float32 and bfloat16 matrix-product ceilings first, then per preset and
/// dtype the net's own matrix products, the training step (with a forward / backward / optimizer split), inference
/// with fixed steps and with adaptive halting, and the data loader; each turned into rows with rates, model GFLOP/s
/// and the fraction of the same-dtype ceiling.
/// </summary>
public static class BenchmarkRunner
{
    public static BenchmarkReport Run(IReadOnlyList<BenchmarkPreset> presets, BenchmarkSettings settings, Action<BenchmarkProgress>? progress = null)
    {
        settings.Validate();
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var device = DeviceSelection.Parse(settings.Device);
        if (settings.Threads > 0) set_num_threads(settings.Threads);
        var machine = MachineInfo.Describe(device);
        var notes = new List<string>();

        // Emulated bfloat16 products run ~100x slower than float32: a quick run without them measures float32 only,
        // unless bfloat16 was asked for by name.
        bool floatOnly = settings.Quick && settings.Dtypes is null && device.type == TorchSharp.DeviceType.CPU && !ProcessorInfo.Current.HasBFloat16Matrix;
        ForwardDtype DtypeOf(BenchmarkPreset preset) => floatOnly ? ForwardDtype.Float32 : preset.Config.Arch.Model.ForwardDtype;

        var ceilings = new List<MatmulRate>();
        foreach (var dtype in settings.Dtypes?.Distinct() ?? (floatOnly ? [ForwardDtype.Float32] : [ForwardDtype.Float32, ForwardDtype.BFloat16]))
        {
            progress?.Invoke(new BenchmarkProgress("ceiling", ReferenceNames.Of(dtype), 0, 1));
            ceilings.Add(MatmulCeiling.Measure(dtype, device, settings.CeilingTargetSeconds, settings.CeilingRepeats, settings.CeilingMaxSize));
        }

        var summaries = new List<PresetSummary>();
        var rows = new List<BenchmarkRow>();
        var skipped = new List<string>();
        foreach (var preset in presets)
        {
            int batch = settings.Batch ?? (settings.Quick ? preset.QuickBatch : preset.Batch);
            foreach (var dtype in settings.Dtypes ?? [DtypeOf(preset)])
            {
                var model = preset.ModelConfig(dtype);
                if (settings.SkipLongSequences && preset.LongSequence)
                {
                    summaries.Add(new PresetSummary(preset.Name, ReferenceNames.Of(dtype), batch, model, ModelFlops.Of(model), $"skipped: sequence {preset.SeqLen} in a quick run"));
                    skipped.Add(preset.Name);
                    continue;
                }
                var ceiling = ceilings.FirstOrDefault(c => c.Dtype == ReferenceNames.Of(dtype)) ?? Added(ceilings, MatmulCeiling.Measure(dtype, device,
                    settings.CeilingTargetSeconds, settings.CeilingRepeats, settings.CeilingMaxSize));
                summaries.Add(new PresetSummary(preset.Name, ReferenceNames.Of(dtype), batch, model, ModelFlops.Of(model)));
                rows.AddRange(MeasurePreset(preset, model, batch, ceiling, settings, device, progress));
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }

        if (skipped.Count > 0)
            notes.Add($"quick run: skipped {string.Join(", ", skipped.Distinct())} (sequence 900: one training step takes seconds at batch 1 on a small CPU)");
        if (floatOnly && presets.Where(p => p.Config.Arch.Model.ForwardDtype != ForwardDtype.Float32 && !skipped.Contains(p.Name)).Select(p => p.Name).ToList() is { Count: > 0 } converted)
            notes.Add($"quick run: this processor has no bfloat16 matrix instructions, so the bfloat16 rows are skipped and {string.Join(", ", converted)} " +
                "were measured in float32 (emulated bfloat16 products run about 100x slower)");
        if (settings.InferenceSteps is { } cap)
            notes.Add($"inference ran at most {cap} supervision steps per puzzle (halt_max_steps is {string.Join("/", presets.Select(p => p.Config.Arch.Model.HaltMaxSteps).Distinct())})");
        notes.Add("adaptive halting uses threshold 0.99 (the solver's default); an untrained Q head (bias -5, sigmoid 0.7 %) never halts early, so adaptive runs every step here, plus the recycling's bookkeeping");
        var end = machine with { LoadAverageEnd = MachineInfo.LoadAverage() };
        // At the end the load includes this run's own threads, so only the start says whether other work was running.
        if (end.Contended)
            notes.Add($"load average {end.LoadAverageStart:F2} at the start with {end.LogicalProcessors} logical processors: other work shared the processors, so these timings are low " +
                "(libtorch's threads wait for each other when one is descheduled)");
        return new BenchmarkReport(BenchmarkReport.CurrentFormat, started, clock.Elapsed.TotalSeconds, end, settings, ceilings, summaries, rows, notes);
    }

    static MatmulRate Added(List<MatmulRate> ceilings, MatmulRate rate)
    {
        ceilings.Add(rate);
        return rate;
    }

    static List<BenchmarkRow> MeasurePreset(BenchmarkPreset preset, TrmConfig model, int batch, MatmulRate ceiling, BenchmarkSettings settings, Device device,
        Action<BenchmarkProgress>? progress)
    {
        string name = preset.Name, dtype = ReferenceNames.Of(model.ForwardDtype);
        var flops = ModelFlops.Of(model);
        var rows = new List<BenchmarkRow>();
        double? Fraction(double gflops) => gflops / ceiling.Gflops;
        void Phase(string phase, int done = 0, int total = 1) => progress?.Invoke(new BenchmarkProgress($"{name} {dtype}", phase, done, total));

        Phase("net matrix products");
        var net = MatmulCeiling.MeasureNet(model, batch, device, settings.CeilingRepeats);
        rows.Add(new BenchmarkRow(name, dtype, "net matmuls only", batch, net.Gflops, "GFLOP/s", net.Gflops, Fraction(net.Gflops), net.Repeats, net.BestSeconds,
            Note: $"the matrix products of one net application at the model's shapes, nothing else; fastest of {net.Repeats}"));

        if (settings.Profile)
        {
            Phase("net profile");
            var items = NetProfile.Run(model, batch, device);
            double whole = items[0].Milliseconds;
            rows.AddRange(items.Select(i => new BenchmarkRow(name, dtype, $"op: {i.Operation}", batch, i.Milliseconds, "ms", null, null, i.Calls, i.Total / 1000,
                Note: i == items[0] ? "one application of the net, no gradients: the parts below add up to it"
                    : $"x{i.Calls} per application = {i.Total / whole:P0} of it")));
        }

        Phase("training step", 0, settings.Steps);
        var train = TrainingStepBenchmark.Run(preset.Config, model, batch, device, settings.WarmupSteps, settings.Steps, settings.BreakdownRepeats,
            (done, total) => Phase("training step", done, total));
        double stepGflops = flops.TrainStep * batch / train.MedianStepSeconds / 1e9;
        rows.Add(new BenchmarkRow(name, dtype, "train step", batch, batch / train.MedianStepSeconds, "samples/s", stepGflops, Fraction(stepGflops),
            train.Steps, train.MedianStepSeconds, null, train.PeakResidentBytes, train.ResidentBytesBefore, train.ResidentBytesAfter,
            train.LiveTensorsBefore, train.LiveTensorsAfter,
            $"median of {train.Steps} after {settings.WarmupSteps} warm-up, mean {train.MeanStepSeconds:F3} s; at the net-matmul rate its matmuls take {stepGflops / net.Gflops:P0} of it"));
        if (settings.BreakdownRepeats > 0)
        {
            double backward = train.MedianStepSeconds - train.ForwardSeconds - train.OptimizerSeconds;
            double forwardGflops = flops.Forward * batch / train.ForwardSeconds / 1e9;
            rows.Add(new BenchmarkRow(name, dtype, "  forward+loss", batch, batch / train.ForwardSeconds, "samples/s", forwardGflops, Fraction(forwardGflops),
                settings.BreakdownRepeats, train.ForwardSeconds, Note: $"{train.ForwardSeconds / train.MedianStepSeconds:P0} of the step"));
            // Derived, so noise can make it meaningless (NaN) on a tiny model.
            double backwardGflops = backward > 0 ? flops.Backward * batch / backward / 1e9 : double.NaN;
            rows.Add(new BenchmarkRow(name, dtype, "  backward", batch, backward > 0 ? batch / backward : double.NaN, "samples/s", backwardGflops,
                Fraction(backwardGflops), settings.BreakdownRepeats, backward,
                Note: backward > 0 ? $"step - forward - optimizers: {backward / train.MedianStepSeconds:P0} of the step"
                    : "not measurable: forward and optimizers alone took as long as the step"));
            rows.Add(new BenchmarkRow(name, dtype, "  optimizers+EMA", batch, 1 / train.OptimizerSeconds, "steps/s", null, null,
                settings.BreakdownRepeats, train.OptimizerSeconds, Note: $"Adam-atan2 + EMA: {train.OptimizerSeconds / train.MedianStepSeconds:P0} of the step"));
        }

        int maxSteps = Math.Min(settings.InferenceSteps ?? model.HaltMaxSteps, model.HaltMaxSteps);
        int puzzles = batch * settings.InferenceBatches;
        manual_seed(preset.Config.Seed);
        using (var inferenceModel = new ActLossHead(model, preset.Config.Arch.Loss.LossType))
        {
            inferenceModel.to(device);
            foreach (var (label, threshold) in new (string, double?)[] { ($"infer fixed {maxSteps}", null), ("infer adaptive", HaltingPolicy.DefaultThreshold) })
            {
                Phase(label);
                var run = InferenceBenchmark.Run(inferenceModel.Model, batch, puzzles, maxSteps, threshold, device);
                double gflops = run.StepsUsed * flops.Forward / run.Seconds / 1e9;
                string note = threshold is null ? $"{run.Puzzles} puzzles through {run.Slots} slots"
                    : $"halt above {threshold:P0}, at most {maxSteps} steps; mean steps {run.MeanSteps:F2}";
                rows.Add(new BenchmarkRow(name, dtype, label, batch, run.Puzzles / run.Seconds, "puzzles/s", gflops, Fraction(gflops), run.Puzzles, run.Seconds,
                    run.MeanSteps, run.PeakResidentBytes, LiveTensorsBefore: run.LiveTensorsBefore, LiveTensorsAfter: run.LiveTensorsAfter, Note: note));
                if (threshold is not null) continue;
                // Test-time compute's cost: the same runs as 16 noisy trajectories of a sixteenth of the puzzles, fixed steps; a run
                // should cost at most 1.15 times a plain one (noise drawn per slot, answers gathered and chosen per puzzle).
                Phase("infer 16 trajectories");
                var sampled = InferenceBenchmark.Run(inferenceModel.Model, batch, Math.Max(16, puzzles / 16 * 16), maxSteps, null, device, sampling: new Sampling(16, 0.3));
                double sampledGflops = sampled.StepsUsed * flops.Forward / sampled.Seconds / 1e9;
                rows.Add(new BenchmarkRow(name, dtype, "infer 16 trajectories", batch, sampled.Puzzles / sampled.Seconds, "runs/s", sampledGflops, Fraction(sampledGflops),
                    sampled.Puzzles, sampled.Seconds, sampled.MeanSteps, sampled.PeakResidentBytes, LiveTensorsBefore: sampled.LiveTensorsBefore,
                    LiveTensorsAfter: sampled.LiveTensorsAfter,
                    Note: $"sigma 0.3, {sampled.Puzzles / 16} puzzles x 16; a run costs {run.Puzzles / run.Seconds / (sampled.Puzzles / sampled.Seconds):F2}x a plain one (goal <= 1.15)"));
            }
        }

        Phase("data loader");
        var loader = LoaderBenchmark.Run(preset, batch, settings.LoaderSeconds, device);
        double consumed = 1 / train.MedianStepSeconds;
        rows.Add(new BenchmarkRow(name, dtype, "loader", batch, loader.BatchesPerSecond, "batches/s", null, null, loader.Batches, loader.Seconds,
            PeakResidentBytes: loader.PeakResidentBytes,
            Note: $"{loader.BatchesPerSecond / consumed:N0}x the {consumed:F2} batches/s training consumes ({loader.DatasetExamples} examples on disk)"));
        return rows;
    }
}
