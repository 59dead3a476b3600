using System.Text;
using Trm.Checkpoints;
using Trm.Export;
using Trm.Inference;
using Trm.Model;
using Trm.Onnx;
using Trm.Puzzles;
using Trm.Puzzles.Sudoku;
using Trm.Solving;
using Trm.Tests.Cli;
using Trm.Tests.Training;

namespace Trm.Tests.Onnx;

/// <summary>
/// The solver on ONNX Runtime against the TorchSharp one, on the tiny float32 model trained on 4x4 Sudoku
/// (<see cref="SolveCliTests.TinyCheckpoint"/>) and its export: the same answers, steps and stop reasons for every puzzle, with
/// fixed steps, adaptive halting and test-time compute (copies, the converged selection); the same output from <c>trm solve</c>; and
/// every file that is not a step of this contract refused with one line.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class OnnxSolverTests : IClassFixture<OnnxSolverTests.TinyStep>
{
    public sealed class TinyStep : IDisposable
    {
        readonly SolveCliTests.TinyCheckpoint checkpoint = new();
        readonly TempDirectory dir = new();
        public string Checkpoint => checkpoint.Path;
        public string Onnx { get; }

        public TinyStep()
        {
            Onnx = dir.File("step.onnx");
            OnnxExport.Run(new OnnxExportRequest(Checkpoint, Onnx));
        }

        public void Dispose()
        {
            dir.Dispose();
            checkpoint.Dispose();
        }
    }

    readonly TinyStep step;

    public OnnxSolverTests(TinyStep step) => this.step = step;

    static IReadOnlyList<SudokuQuestion> Questions(int count, int seed) =>
        [.. SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 4, Train = count, Test = 1, Seed = seed }).Train
            .Select((p, i) => SudokuKind.Question(p.Question.ToString(), $"puzzle {i}"))];

    public static TheoryData<string, int?, bool, double?, int, string?> Settings => new()
    {
        // name, max steps, adaptive, threshold (null: the median halting probability at step 2, so that about half halt there),
        // batch size, sampling (augment copies, selection)
        { "fixed steps, the trained 3", null, false, 0.99, 256, null },
        { "fixed steps, 7, slots recycled", 7, false, 0.99, 16, null },
        { "adaptive at the median, slots recycled", 8, true, null, 16, null },
        { "adaptive at the default", 5, true, SolveOptions.DefaultHaltThreshold, 32, null },
        { "copies, voted", 4, true, null, 16, "vote" },
        { "copies, converged (measured changes)", 4, false, 0.99, 16, "converged" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void AnswersEqualTheCheckpointsOverManyPuzzles(string name, int? maxSteps, bool adaptive, double? threshold, int batchSize, string? select)
    {
        var questions = Questions(120, seed: 3);
        var sampling = select is null ? null
            : new Sampling(1, 0, NoiseTarget.ZL, select == "vote" ? TrajectorySelection.Vote : TrajectorySelection.Converged, Augment: 2, Seed: 5);
        using var torch = TrmModel.Load(step.Checkpoint);
        using var onnx = OnnxModel.Load(step.Onnx, threads: 1);
        var options = new SolveOptions(maxSteps, adaptive, batchSize, threshold ?? MiddleThreshold(torch, questions), sampling);
        var expected = PuzzleSolving.Solve(torch, questions, options);
        var actual = PuzzleSolving.Solve(onnx, questions, options);

        int halted = 0;
        for (int i = 0; i < questions.Count; i++)
        {
            var (e, a) = (expected[i].Solution, actual[i].Solution);
            Assert.True(e.Answer.SequenceEqual(a.Answer), $"{name}: puzzle {i}: {string.Join("", a.Answer)}, the checkpoint {string.Join("", e.Answer)}");
            Assert.True(e.StepsUsed == a.StepsUsed && e.Stopped == a.Stopped, $"{name}: puzzle {i}: {a.StepsUsed} steps ({a.Stopped}), the checkpoint {e.StepsUsed} ({e.Stopped})");
            Assert.Equal(e.Steps.Count, a.Steps.Count);
            for (int s = 0; s < e.Steps.Count; s++)
            {
                Assert.True(e.Steps[s].Answer.SequenceEqual(a.Steps[s].Answer), $"{name}: puzzle {i} step {s}");
                Assert.Equal(e.Steps[s].HaltProbability, a.Steps[s].HaltProbability, 1e-5);
            }
            Assert.Equal(e.Candidates.Select(c => (string.Join("", c.Answer), c.Trajectories)), a.Candidates.Select(c => (string.Join("", c.Answer), c.Trajectories)));
            if (e.Stopped == StopReason.QHead) halted++;
        }
        if (threshold is null) Assert.True(halted > 0 && halted < questions.Count, $"{name}: {halted} of {questions.Count} halted by the Q head");
    }

    // A threshold between the middle halves' step-2 halting probabilities, in their widest gap: no puzzle sits near it.
    static double MiddleThreshold(TrmModel model, IReadOnlyList<SudokuQuestion> questions)
    {
        var sorted = PuzzleSolving.Solve(model, questions, new SolveOptions(2, Adaptive: false)).Select(o => o.Solution.HaltProbability).Order().ToList();
        int widest = Enumerable.Range(sorted.Count / 4, sorted.Count / 2).MaxBy(i => sorted[i + 1] - sorted[i]);
        return (sorted[widest] + sorted[widest + 1]) / 2;
    }

    [Fact]
    public void RowsThatMoveOrLeaveKeepTheirLatents()
    {
        // The live feed's case: rows reordered and dropped between steps; each continuing row carries the latents of the row it continues.
        var tokens = Questions(3, seed: 11).Select(q => q.Requests()[0].Tokens).ToArray();
        using var onnx = OnnxModel.Load(step.Onnx, threads: 1);
        var weights = CheckpointFiles.WeightsFile(step.Checkpoint, null, ema: false);
        using var network = CheckpointModel.Load(CheckpointFiles.ReadConfig(step.Checkpoint).Arch, new ModelLayout(16, 6, 1), weights, TorchSharp.torch.CPU);
        StepRow[][] steps =
        [
            [new(-1, tokens[0], 0), new(-1, tokens[1], 0), new(-1, tokens[2], 0)],
            [new(2, tokens[2], 0), new(0, tokens[0], 0)],
            [new(1, tokens[0], 0), new(-1, tokens[1], 0), new(0, tokens[2], 0)],
            [new(2, tokens[2], 0), new(1, tokens[1], 0), new(0, tokens[0], 0)],
        ];
        using var reference = new ActStepEngine(network.Model, TorchSharp.torch.CPU);
        using var engine = new OnnxStepEngine(onnx.Step);
        foreach (var rows in steps)
        {
            var e = reference.Step(rows, measureChange: true);
            var a = engine.Step(rows, measureChange: true);
            Assert.Equal(e.Answers, a.Answers);
            for (int row = 0; row < rows.Length; row++)
            {
                Assert.Equal(e.QHaltLogits[row], a.QHaltLogits[row], 1e-4f);
                Assert.Equal(double.IsNaN(e.LogitChanges![row]), double.IsNaN(a.LogitChanges![row]));
                if (!double.IsNaN(e.LogitChanges[row])) Assert.Equal(e.LogitChanges[row], a.LogitChanges[row], 1e-4);
            }
        }
    }

    [Fact]
    public void NoiseIsRefusedByName()
    {
        using var onnx = OnnxModel.Load(step.Onnx, threads: 1);
        var error = Assert.Throws<TrmSettingsException>(() => PuzzleSolving.Solve(onnx, Questions(2, seed: 1),
            new SolveOptions(Sampling: new Sampling(2, 0.3, NoiseTarget.ZL, TrajectorySelection.Vote, 0, 0))));
        Assert.Equal(nameof(Sampling.Noise), error.Problems.Single().Setting);
    }

    [Theory]
    [InlineData("--fixed-steps", "--max-steps", "4")]
    [InlineData("--halt-threshold", "0.5", "--max-steps", "6")]
    [InlineData("--augment", "2", "--select", "vote")]
    public void TrmSolvePrintsWhatTheCheckpointPrints(params string[] settings)
    {
        const string puzzle = ".4....3..3....2.";
        var (exit, expected, stderr) = TrmProcess.Run(["solve", "sudoku", "--checkpoint", step.Checkpoint, puzzle, .. settings]);
        Assert.True(exit is 0 or 1, stderr);
        var (onnxExit, actual, onnxStderr) = TrmProcess.Run(["solve", "sudoku", "--onnx", step.Onnx, puzzle, .. settings]);
        Assert.True(onnxExit == exit, onnxStderr);
        Assert.Equal(expected, actual);
        Assert.Contains("steps: ", actual);
    }

    [Theory]
    [InlineData("--ema")]
    [InlineData("--weights", "x.pt")]
    [InlineData("--device", "cpu")]
    [InlineData("--noise", "0.3")]
    [InlineData("--checkpoint", "/some/checkpoint")]
    public void LibtorchFlagsAreRefusedByName(string flag, params string[] value)
    {
        var (exit, stdout, stderr) = TrmProcess.Run(["solve", "sudoku", "--onnx", step.Onnx, ".4....3..3....2.", flag, .. value]);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(flag, line);
    }

    [Fact]
    public void NoModelIsRefused()
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", ".4....3..3....2.");
        Assert.Equal(2, exit);
        Assert.Contains("--checkpoint DIR (a checkpoint) or --onnx FILE", stderr);
    }

    public static TheoryData<string> Damages => ["text", "truncated", "empty", "no contract version", .. ContractNames.Select(n => "renamed " + n)];

    static IEnumerable<string> ContractNames =>
        [OnnxContract.Next("z_H"), OnnxContract.Next("z_L"), OnnxContract.Reset, OnnxContract.Inputs, OnnxContract.PuzzleIdentifiers, OnnxContract.Logits, OnnxContract.QHaltLogits,
         OnnxContract.QContinueLogits, OnnxContract.Keys.Latents, OnnxContract.Keys.SeqLen, OnnxContract.Keys.HiddenSize, OnnxContract.Keys.HaltMaxSteps];

    /// <summary>A file that is not a step of this contract: not ONNX, cut short, or a whole ONNX model (every string the same length, so
    /// the protobuf stays valid) whose metadata key or graph name the contract relies on is renamed.</summary>
    static string Damaged(string onnx, string damage, TempDirectory dir)
    {
        var path = dir.File("damaged.onnx");
        var bytes = File.ReadAllBytes(onnx);
        byte[] Renamed(string name)
        {
            var from = Encoding.ASCII.GetBytes(name);
            var to = (byte[])from.Clone();
            to[^1] = (byte)'Q';
            var text = Convert.ToHexString(bytes).Replace(Convert.ToHexString(from), Convert.ToHexString(to), StringComparison.Ordinal);
            return Convert.FromHexString(text);
        }
        File.WriteAllBytes(path, damage switch
        {
            "text" => Encoding.ASCII.GetBytes("this is not a model\n"),
            "truncated" => bytes[..(bytes.Length / 2)],
            "empty" => [],
            "no contract version" => Renamed(OnnxContract.Keys.ContractVersion),
            _ => Renamed(damage["renamed ".Length..]),
        });
        return path;
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void AFileThatIsNotAStepOfTheContractIsRefusedWithOneLine(string damage)
    {
        using var dir = new TempDirectory();
        var path = Damaged(step.Onnx, damage, dir);
        var error = Assert.ThrowsAny<TrmException>(() => OnnxModel.Load(path, threads: 1));
        Assert.StartsWith(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated")]
    [InlineData("no contract version")]
    [InlineData("renamed reset")]
    public void TrmSolveRefusesThemWithExitCode2(string damage)
    {
        using var dir = new TempDirectory();
        var path = Damaged(step.Onnx, damage, dir);
        var (exit, stdout, stderr) = TrmProcess.Run("solve", "sudoku", "--onnx", path, ".4....3..3....2.");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}", line);
    }
}
