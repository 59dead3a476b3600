using Trm.Configuration;
using Trm.Data;
using Trm.Model;

namespace Trm.Tests.Training;

/// <summary>
/// A tiny learnable task: 8 tokens from 2..5 whose label is a fixed permutation of each token
/// (chance token accuracy 1/4), 200 train and 100 test puzzles; and a small config that trains on it.
/// </summary>
public static class TinyTask
{
    const int SeqLen = 8;
    static readonly byte[] Mapping = [0, 1, 4, 5, 3, 2];

    public static string Build(string directory, int seed = 0)
    {
        var random = new Random(seed);
        using var writer = new DatasetWriter(directory);
        foreach (var (split, count) in new[] { ("train", 200), ("test", 100) })
        {
            var set = writer.BeginSplit(split, new DatasetMetadata { VocabSize = 6, SeqLen = SeqLen, IgnoreLabelId = 0, NumPuzzleIdentifiers = 1 });
            for (int i = 0; i < count; i++)
            {
                var input = Enumerable.Range(0, SeqLen).Select(_ => (byte)random.Next(2, 6)).ToArray();
                set.AddExample(input, input.Select(t => Mapping[t]).ToArray());
                set.EndPuzzle(0);
                set.EndGroup();
            }
        }
        writer.Commit();
        return directory;
    }

    /// <summary>The test split's inputs and labels, row by row, as a user would hand them to <c>TrmModel.Solve</c>.</summary>
    public static (List<int[]> Inputs, List<int[]> Labels) TestExamples(string data)
    {
        using var split = PuzzleSplit.Open(data, "test");
        var set = split.Sets[0];
        (List<int[]> inputs, List<int[]> labels) = ([], []);
        for (int i = 0; i < set.ExampleCount; i++)
        {
            var row = new int[SeqLen];
            set.Inputs.CopyRow(i, row);
            inputs.Add(row);
            row = new int[SeqLen];
            set.Labels.CopyRow(i, row);
            labels.Add(row);
        }
        return (inputs, labels);
    }

    public static TrainConfig Config(string data, string runDirectory, int epochs = 48, int evalInterval = 16, bool ema = true,
        Architecture architecture = Architecture.Trm) => new()
    {
        Arch = new ArchConfig
        {
            // One layer per module (HRM: one L and one H layer; the baseline: two layers, as it has no recursion).
            Model = ArchitectureFields.Defaults(architecture) with
            {
                HiddenSize = 32, NumHeads = 2, Expansion = 2, HCycles = 2, LCycles = 1, LLayers = 1,
                HLayers = architecture == Architecture.TransformersBaseline ? 2 : 1,
                PuzzleEmbNdim = 0, PuzzleEmbLen = 0, HaltMaxSteps = 3, HaltExplorationProb = 0.5, ForwardDtype = ForwardDtype.Float32,
            },
        },
        DataPaths = [data],
        GlobalBatchSize = 32,
        Epochs = epochs,
        EvalInterval = evalInterval,
        Lr = 3e-3, LrMinRatio = 0.1, LrWarmupSteps = 10, Beta1 = 0.9, Beta2 = 0.95, WeightDecay = 0.1,
        PuzzleEmbLr = 1e-2, PuzzleEmbWeightDecay = 0.1,
        Ema = ema, EmaRate = 0.99, CheckpointEveryEval = true, CheckpointPath = runDirectory,
    };
}

/// <summary>Collects what a run reports, and can cancel it after a given step.</summary>
public sealed class RecordingObserver(CancellationTokenSource? cancel = null, long cancelAfterStep = long.MaxValue) : Trm.Training.ITrainingObserver
{
    public List<Trm.Training.StepReport> Steps { get; } = [];
    public List<(long Step, IReadOnlyList<Trm.Evaluation.SetMetrics> Sets)> Evaluations { get; } = [];
    public List<IReadOnlyDictionary<string, double>> EvaluatorMetrics { get; } = [];
    public List<string> Checkpoints { get; } = [];

    public void OnStep(Trm.Training.StepReport report)
    {
        Steps.Add(report);
        if (report.Step >= cancelAfterStep) cancel?.Cancel();
    }

    public void OnEvaluation(long step, IReadOnlyList<Trm.Evaluation.SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics)
    {
        Evaluations.Add((step, sets));
        EvaluatorMetrics.Add(evaluatorMetrics);
    }

    public void OnCheckpoint(string directory) => Checkpoints.Add(directory);

    public void OnMessage(string message) { }
}
