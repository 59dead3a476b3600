using Trm.Benchmarking;
using Trm.Configuration;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Benchmarking;

public class BenchmarkRunnerTests
{
    static readonly string[] Measurements =
        ["net matmuls only", "train step", "  forward+loss", "  backward", "  optimizers+EMA", "infer fixed 3", "infer 16 trajectories", "infer adaptive", "loader"];

    static TrainConfig TinyTraining() => new()
    {
        Arch = new ArchConfig
        {
            Model = new TrmConfig
            {
                HiddenSize = 32, NumHeads = 2, Expansion = 2, HCycles = 2, LCycles = 2, LLayers = 2,
                PuzzleEmbNdim = 32, PuzzleEmbLen = 2, HaltMaxSteps = 3, HaltExplorationProb = 0.5, ForwardDtype = ForwardDtype.Float32,
            },
        },
        GlobalBatchSize = 4, Lr = 1e-3, Beta1 = 0.9, Beta2 = 0.95, WeightDecay = 0.1, PuzzleEmbLr = 1e-2, PuzzleEmbWeightDecay = 0.1,
        Ema = true, EmaRate = 0.99,
    };

    static BenchmarkPreset TinyPreset() => new("tiny", TinyTraining(), SeqLen: 8, VocabSize: 6, NumPuzzleIdentifiers: 5, Batch: 4, QuickBatch: 2,
        Groups: 20, PuzzlesPerGroup: 2);

    static readonly BenchmarkSettings Small = new()
    {
        Dtypes = [ForwardDtype.Float32, ForwardDtype.BFloat16], WarmupSteps = 1, Steps = 3, BreakdownRepeats = 1, LoaderSeconds = 0.05,
        CeilingRepeats = 1, CeilingTargetSeconds = 0.002, CeilingMaxSize = 256,
    };

    [Fact]
    public void ATinyBenchReturnsConsistentRowsAndTheJsonRoundTrips()
    {
        var report = BenchmarkRunner.Run([TinyPreset()], Small);

        Assert.Equal(["float32", "bfloat16"], report.Ceilings.Select(c => c.Dtype));
        Assert.Equal(["float32", "bfloat16"], report.Presets.Select(p => p.Dtype));
        foreach (var dtype in new[] { "float32", "bfloat16" })
        {
            var rows = report.Rows.Where(r => r.Dtype == dtype).ToList();
            Assert.Equal(Measurements, rows.Select(r => r.Measurement));
            var flops = report.Presets.Single(p => p.Dtype == dtype).FlopsPerSample;
            var ceiling = report.Ceiling(dtype)!.Gflops;
            foreach (var row in rows)
            {
                Assert.Equal("tiny", row.Preset);
                Assert.Equal(4, row.Batch);
                if (row.Measurement != "  backward") Assert.True(double.IsFinite(row.Rate) && row.Rate > 0, $"{row.Measurement}: rate {row.Rate}");
                Assert.Equal(row.ModelGflops is null, row.CeilingFraction is null);
                if (row.ModelGflops is { } gflops && double.IsFinite(gflops)) Assert.Equal(gflops / ceiling, row.CeilingFraction!.Value, 9);
            }

            var train = rows.Single(r => r.Measurement == "train step");
            Assert.Equal("samples/s", train.Unit);
            Assert.Equal(3, train.Count);
            Assert.Equal(4 / train.Seconds, train.Rate, 9);
            Assert.Equal(train.Rate * flops.TrainStep / 1e9, train.ModelGflops!.Value, 9);
            Assert.Equal(train.LiveTensorsBefore, train.LiveTensorsAfter);
            Assert.True(train.PeakResidentBytes > 0 && train.ResidentBytesAfter > 0);

            // 16 noisy trajectories of one puzzle (at least 16 runs): the same work per run, and what a run costs against a plain one.
            var sampled = rows.Single(r => r.Measurement == "infer 16 trajectories");
            Assert.Equal("runs/s", sampled.Unit);
            Assert.Equal(16, sampled.Count);
            Assert.Equal(3.0, sampled.MeanSteps);
            Assert.Equal(sampled.Rate * 3 * flops.Forward / 1e9, sampled.ModelGflops!.Value, 9);
            Assert.Equal(sampled.LiveTensorsBefore, sampled.LiveTensorsAfter);
            Assert.Matches(@"a run costs \d+\.\d\dx a plain one", sampled.Note);

            foreach (var inference in rows.Where(r => r.Measurement.StartsWith("infer") && r != sampled))
            {
                Assert.Equal("puzzles/s", inference.Unit);
                Assert.Equal(4, inference.Count);
                Assert.Equal(3.0, inference.MeanSteps);   // fixed steps; and an untrained Q head never halts early
                Assert.Equal(inference.Rate * 3 * flops.Forward / 1e9, inference.ModelGflops!.Value, 9);
                Assert.Equal(inference.LiveTensorsBefore, inference.LiveTensorsAfter);
            }
            Assert.Equal("batches/s", rows.Single(r => r.Measurement == "loader").Unit);
        }

        var json = report.ToJson();
        var back = BenchmarkReport.FromJson(json);
        Assert.Equal(report.Rows, back.Rows);
        Assert.Equal(report.Ceilings, back.Ceilings);
        Assert.Equal(report.Presets.Select(p => p.Model), back.Presets.Select(p => p.Model));
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"train_step\":", json);
        Assert.Contains("\"hidden_size\": 32", json);
    }

    [Fact]
    public void AProfiledBenchAddsOneRowPerKindOfWork()
    {
        var report = BenchmarkRunner.Run([TinyPreset()], Small with { Dtypes = [ForwardDtype.Float32], Profile = true, Steps = 1, BreakdownRepeats = 0 });

        var operations = report.Rows.Where(r => r.Measurement.StartsWith("op: ")).ToList();
        Assert.Equal(["op: net application", "op: matmuls alone", "op: weight casts", "op: rms_norm", "op: residual adds", "op: swiglu gate",
            "op: attention non-matmul", "op: rotary", "op: unattributed"], operations.Select(r => r.Measurement));
        Assert.All(operations, r => Assert.Equal("ms", r.Unit));
        Assert.DoesNotContain(report.Rows, r => r.Measurement == "  forward+loss");   // no split asked for
    }

    [Fact]
    public void QuickRunsOverAllPresetsSkipTheLongSequencesAndSayWhy()
    {
        var longPreset = TinyPreset() with { Name = "long", LongSequence = true };
        var report = BenchmarkRunner.Run([longPreset], Small with { Dtypes = null, SkipLongSequences = true, Quick = true });

        Assert.Empty(report.Rows);
        Assert.Contains("skipped", report.Presets.Single().Skipped);
        Assert.Contains(report.Notes, n => n.Contains("skipped long"));
    }

    [Fact]
    public void LiveTensorsStayUnchangedOverManyTrainingSteps()
    {
        var preset = TinyPreset();
        var measured = TrainingStepBenchmark.Run(preset.Config, preset.ModelConfig(), 4, CPU, warmupSteps: 2, steps: 50, breakdownRepeats: 0);

        Assert.True(measured.LiveTensorsBefore > 0);
        Assert.Equal(measured.LiveTensorsBefore, measured.LiveTensorsAfter);
        Assert.True(double.IsNaN(measured.ForwardSeconds));
    }

    [Fact]
    public void UnknownPresetsAndDtypesAreRefusedWithTheValidChoices()
    {
        var preset = Assert.Throws<TrmException>(() => BenchmarkPresets.Get("nosuch"));
        Assert.Contains("sudoku-att, sudoku-mlp, maze, arc, sudoku4-cpu, hrm-sudoku", preset.Message);
        var dtype = Assert.Throws<TrmSettingsException>(() => new BenchmarkSettings { Dtypes = [Trm.Model.ForwardDtype.Float16] }.Validate());
        Assert.Contains("float32 or bfloat16", dtype.Message);
    }

    [Fact]
    public void TheBuiltInPresetsHaveThePapersShapes()
    {
        var att = BenchmarkPresets.Get("sudoku-att").ModelConfig();
        Assert.Equal((512, 8, 4.0, 3, 6, 2, 81, 11, 16, 16, false), (att.HiddenSize, att.NumHeads, att.Expansion, att.HCycles, att.LCycles, att.LLayers,
            att.SeqLen, att.VocabSize, att.PuzzleEmbLen, att.HaltMaxSteps, att.MlpT));
        Assert.True(BenchmarkPresets.Get("sudoku-mlp").ModelConfig().MlpT);
        foreach (var (name, vocab) in new[] { ("maze", 6), ("arc", 12) })
        {
            var config = BenchmarkPresets.Get(name).ModelConfig(ForwardDtype.Float32);
            Assert.Equal((512, 3, 4, 900, vocab, 16, ForwardDtype.Float32), (config.HiddenSize, config.HCycles, config.LCycles, config.SeqLen, config.VocabSize, config.PuzzleEmbLen, config.ForwardDtype));
        }
    }
}
