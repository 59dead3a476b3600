using Xunit.Abstractions;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.IO;
using Trm.Tests.Inference;
using Trm.Tests.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Distributed;

/// <summary>
/// Real 2-rank jobs under mpirun against one process at the same global batch: the same data and halting decisions at every
/// step and weights apart only by the order of floating-point sums (judged against what the thread count alone moves);
/// checkpoints that resume on another number of ranks; evaluation (ARC included) scoring as one process; a killed rank
/// ending the job; ranks with different configs refused.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class DataParallelTests(ITestOutputHelper log)
{
    /// <summary>TinyTask: 200 examples, global batch 32, so 16 epochs are 100 steps; evaluations at 50 and 100.</summary>
    static string TinyConfig(TempDirectory dir)
    {
        var data = TinyTask.Build(dir.File("data"));
        var path = dir.File("tiny.yaml");
        File.WriteAllText(path, ConfigLoader.ToYaml(TinyTask.Config(data, dir.File("unused"), epochs: 16, evalInterval: 8) with { Threads = 1 }));
        return path;
    }

    [MpiFact]
    public void TwoRanksTrainAsOneProcessAndResumeOnEitherCount()
    {
        using var dir = new TempDirectory();
        var config = TinyConfig(dir);
        string Run(string name) => $"checkpoint_path={dir.File(name)}";

        Single("train", "--config", config, Run("one"));
        Single("train", "--config", config, Run("threads2"), "threads=2");
        var (exit, stdout, stderr) = MpiJob.Run(2, "train", "--config", config, Run("two"));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("data-parallel job: Open MPI", stdout);
        Assert.Contains("16 examples per rank", stdout);
        Assert.Contains("gradient exchange:", stdout);
        Assert.Single(stdout.Split('\n'), line => line.StartsWith("run directory:"));   // rank 0 alone prints

        // The same examples and the same halting decisions (exploration included) at all 100 steps.
        var one = TrainLines(dir.File("one"));
        var two = TrainLines(dir.File("two"));
        Assert.Equal(100, one.Count);
        Assert.Equal(one.Select(Decisions), two.Select(Decisions));
        Assert.Equal(Evaluation(dir.File("one"), 100), Evaluation(dir.File("two"), 100));

        // Weights: apart by the order of sums only, no further than the thread count alone moves one process.
        double threads = Distance(dir.File("one/step_100"), dir.File("threads2/step_100"));
        double ranks = Distance(dir.File("one/step_100"), dir.File("two/step_100"));
        double bound = Math.Max(1e-4, threads);
        log.WriteLine($"relative weight distance after 100 steps: 2 ranks vs 1 process {ranks:E2}; 2 threads vs 1 thread {threads:E2}");
        Assert.True(ranks <= bound, $"2 ranks moved the weights {ranks:E2} from one process (bound {bound:E2})");

        // A 2-rank checkpoint continues on 1 rank, and a 1-rank checkpoint on 2 ranks, to where the uninterrupted runs end.
        CopyCheckpoint(dir.File("two/step_50"), dir.File("two-then-one/step_50"));
        Single("train", "--resume", dir.File("two-then-one/step_50"));
        CopyCheckpoint(dir.File("one/step_50"), dir.File("one-then-two/step_50"));
        (exit, stdout, stderr) = MpiJob.Run(2, "train", "--resume", dir.File("one-then-two/step_50"));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(two.Skip(50).Select(Decisions), TrainLines(dir.File("two-then-one")).Select(Decisions));
        Assert.Equal(one.Skip(50).Select(Decisions), TrainLines(dir.File("one-then-two")).Select(Decisions));
        double resumedOnOne = Distance(dir.File("two/step_100"), dir.File("two-then-one/step_100"));
        double resumedOnTwo = Distance(dir.File("one/step_100"), dir.File("one-then-two/step_100"));
        log.WriteLine($"resumed across world sizes: 2 -> 1 rank {resumedOnOne:E2}, 1 -> 2 ranks {resumedOnTwo:E2}");
        Assert.True(resumedOnOne <= bound, $"2-rank checkpoint resumed on 1 rank ends {resumedOnOne:E2} from the 2-rank run (bound {bound:E2})");
        Assert.True(resumedOnTwo <= bound, $"1-rank checkpoint resumed on 2 ranks ends {resumedOnTwo:E2} from the 1-rank run (bound {bound:E2})");
    }

    [MpiFact]
    public void TwoRanksEvaluateArcAsOneProcess()
    {
        using var dir = new TempDirectory();
        var data = TinyArc.BuildDataset(dir);
        var trained = TinyArc.Train(data, dir.File("trained"), epochs: 2)[^1];

        // The trained weights evaluated again after a step that changes nothing (learning rates 0), by 1 and by 2 ranks.
        var config = dir.File("eval.yaml");
        File.WriteAllText(config, ConfigLoader.ToYaml(TinyArc.Config(data, dir.File("unused"), epochs: 1) with
        {
            LoadCheckpoint = trained, Lr = 0, PuzzleEmbLr = 0, Threads = 1, EvalInterval = 1,
        }));
        Single("train", "--config", config, $"checkpoint_path={dir.File("one")}");
        var (exit, stdout, stderr) = MpiJob.Run(2, "train", "--config", config, $"checkpoint_path={dir.File("two")}");
        Assert.True(exit == 0, stdout + stderr);

        var step = TrainLines(dir.File("one")).Count;
        Assert.Equal(Evaluation(dir.File("one"), step), Evaluation(dir.File("two"), step));
        var evaluator = Lines(dir.File("one")).Single(l => (string?)l["split"] == "evaluator");
        Assert.Contains("ARC/pass@2", evaluator.AsObject().Select(p => p.Key));
        Assert.Equal(Strip(evaluator), Strip(Lines(dir.File("two")).Single(l => (string?)l["split"] == "evaluator")));
        string Submission(string run) => File.ReadAllText(Path.Combine(run, $"evaluation_step_{step}", "evaluator_ARC", "submission.json"));
        Assert.Equal(Submission(dir.File("one")), Submission(dir.File("two")));
    }

    [MpiFact]
    public void KillingOneRankEndsTheJobWithoutAPartialCheckpoint()
    {
        using var dir = new TempDirectory();
        var config = TinyConfig(dir);
        var run = dir.File("killed");
        var process = MpiJob.Start(2, ["train", "--config", config, $"checkpoint_path={run}", "epochs=2000", "eval_interval=4"]);
        var stderr = process.StandardError.ReadToEndAsync();
        var seen = new System.Text.StringBuilder();
        for (var line = process.StandardOutput.ReadLine(); line is not null; line = process.StandardOutput.ReadLine())
        {
            seen.AppendLine(line);
            if (line.StartsWith("checkpoint:")) break;   // training goes on, and evaluations keep replacing the checkpoint
        }
        var rank1 = RankProcess(process.Id, 1);
        var clock = Stopwatch.StartNew();
        rank1.Kill();
        var rest = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the job still runs 60 s after one of its ranks was killed");
        log.WriteLine($"job ended {clock.Elapsed.TotalSeconds:F1} s after rank 1 was killed, exit {process.ExitCode}");
        var said = seen + rest.Result + stderr.Result;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("rank 1", said);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(run), e => Path.GetFileName(e).StartsWith('.'));   // no temporaries
        var checkpoints = Directory.GetDirectories(run, "step_*");
        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.True(File.Exists(Path.Combine(c, "trainer_state.json")) && File.Exists(Path.Combine(c, "carry.pt")), $"{c} is incomplete"));
    }

    [MpiFact]
    public void RanksWithDifferentConfigsStopBeforeWriting()
    {
        using var dir = new TempDirectory();
        var config = TinyConfig(dir);
        var run = dir.File("run");
        var (exit, stdout, stderr) = MpiJob.Wait(MpiJob.Start([
            ["1", "train", "--config", config, $"checkpoint_path={run}"],
            ["1", "train", "--config", config, $"checkpoint_path={run}", "seed=1"],
        ]));
        Assert.Equal(2, exit);
        Assert.Contains("ranks 1 of 2 hold other config, data or build of trm than rank 0", stdout + stderr);
        Assert.False(Directory.Exists(run));
    }

    static void Single(params string[] args)
    {
        var (exit, stdout, stderr) = Trm.Tests.Cli.TrmProcess.Run(args);
        Assert.True(exit == 0, stdout + stderr);
    }

    static List<JsonNode> Lines(string run) => [.. File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!)];

    static List<JsonNode> TrainLines(string run) => [.. Lines(run).Where(l => (string?)l["split"] == "train")];

    /// <summary>What the data and the halting decide at a step: how many sequences halted and the steps they took.</summary>
    static (long, double, double) Decisions(JsonNode line) => ((long)line["step"]!, (double)line["count"]!, (double)line["steps"]!);

    /// <summary>The held-out metrics at a step that do not depend on the order of float sums (counts), and the rest to 6 places.</summary>
    static string Evaluation(string run, long step) => string.Join("; ", Lines(run)
        .Where(l => (long)l["step"]! == step && (string?)l["split"] is not ("train" or "evaluator"))
        .Select(l => string.Join(",", l.AsObject().Where(p => p.Key is not "time" and not "step").Select(p => p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? $"{p.Key}={(double)p.Value!:G6}" : $"{p.Key}={p.Value}"))));

    static string Strip(JsonNode line) => string.Join(",", line.AsObject().Where(p => p.Key != "time").Select(p => $"{p.Key}={p.Value}"));

    /// <summary>|a - b| / |a| over all weights of two checkpoints (model.pt).</summary>
    static double Distance(string a, string b)
    {
        var x = TorchCheckpointReader.ReadStateDict(Path.Combine(a, "model.pt"));
        var y = TorchCheckpointReader.ReadStateDict(Path.Combine(b, "model.pt"));
        Assert.Equal(x.Keys.Order(), y.Keys.Order());
        double difference = 0, norm = 0;
        foreach (var (name, t) in x)
        {
            using var d = (t.to(ScalarType.Float64) - y[name].to(ScalarType.Float64)).norm();
            using var n = t.to(ScalarType.Float64).norm();
            difference += Math.Pow(d.item<double>(), 2);
            norm += Math.Pow(n.item<double>(), 2);
        }
        return Math.Sqrt(difference / norm);
    }

    static void CopyCheckpoint(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>The process of <paramref name="rank"/> under mpirun <paramref name="mpirun"/> (its child with OMPI_COMM_WORLD_RANK).</summary>
    static Process RankProcess(int mpirun, int rank)
    {
        foreach (var pid in File.ReadAllText($"/proc/{mpirun}/task/{mpirun}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
            if (environment.Contains($"OMPI_COMM_WORLD_RANK={rank}")) return Process.GetProcessById(pid);
        }
        throw new InvalidOperationException($"no child of mpirun {mpirun} is rank {rank}");
    }
}
