using System.Text.Json;
using Trm.Configuration;
using Trm.Model;
using Trm.Puzzles.Arc;
using Trm.Tests.Training;
using Trm.Training;

namespace Trm.Tests.Inference;

/// <summary>
/// Tiny identity tasks (every output equals its input) in ARC files, and a tiny model trained on them: training puzzles
/// t1, t2 and evaluation puzzle e1 (its test pair held out), 3 augmentations each, so the puzzle-embedding table has
/// 1 + 3 x 4 = 13 rows. An identity is learnable in a few dozen steps with one supervision step per example.
/// </summary>
public static class TinyArc
{
    public const int NumAug = 3, TableRows = 1 + 3 * (NumAug + 1);

    /// <summary>An identity task as a task file object: demonstrations and test inputs, the first with its output when <paramref name="withOutputs"/>.</summary>
    public static string Task(int seed, int tests = 1, bool withOutputs = true, int demonstrations = 3)
    {
        var random = new Random(seed);
        int[][] Grid() => [.. Enumerable.Range(0, random.Next(2, 4)).Select(_ => Enumerable.Range(0, 3).Select(_ => random.Next(0, 10)).ToArray())];
        object Pair(bool output) { var g = Grid(); return output ? new { input = g, output = g } : new { input = g }; }
        return JsonSerializer.Serialize(new
        {
            train = Enumerable.Range(0, demonstrations).Select(_ => Pair(true)).ToList(),
            test = Enumerable.Range(0, tests).Select(i => Pair(withOutputs && i == 0)).ToList(),
        });
    }

    /// <summary>Writes the training and evaluation files and builds the dataset into <c>data/</c>.</summary>
    public static string BuildDataset(TempDirectory dir)
    {
        var prefix = dir.File("arc");
        File.WriteAllText($"{prefix}_training_challenges.json", $$"""{"t1": {{Task(1)}}, "t2": {{Task(2)}}}""");
        File.WriteAllText($"{prefix}_evaluation_challenges.json", $$"""{"e1": {{Task(3)}}}""");
        // Solutions come from the test outputs the challenges carry (identity tasks: the input again).
        foreach (var subset in new[] { "training", "evaluation" })
        {
            var puzzles = ArcPuzzleReader.ReadChallenges($"{prefix}_{subset}_challenges.json");
            var solutions = puzzles.ToDictionary(p => p.Id, p => p.Test.Select(t => Rows(t.Input)).ToList());
            File.WriteAllText($"{prefix}_{subset}_solutions.json", JsonSerializer.Serialize(solutions));
        }
        var data = dir.File("data");
        ArcDatasetBuilder.Build(new ArcBuildOptions(prefix, ["training", "evaluation"], "evaluation", data, NumAug));
        return data;
    }

    public static TrainConfig Config(string data, string run, int epochs, int? evalInterval = null) => new()
    {
        Arch = new ArchConfig
        {
            Model = new TrmConfig
            {
                HiddenSize = 32, NumHeads = 2, Expansion = 2, HCycles = 1, LCycles = 1, LLayers = 1,
                PuzzleEmbNdim = 32, PuzzleEmbLen = 1, HaltMaxSteps = 1, HaltExplorationProb = 0, ForwardDtype = ForwardDtype.Float32,
            },
        },
        DataPaths = [data],
        Evaluators = [new EvaluatorConfig { Options = new() { ["aggregated_voting"] = JsonSerializer.SerializeToElement(false) } }],
        GlobalBatchSize = 8, Epochs = epochs, EvalInterval = evalInterval, CheckpointEveryEval = true,
        Lr = 1e-2, LrMinRatio = 1, Beta1 = 0.9, Beta2 = 0.95, WeightDecay = 0.1, PuzzleEmbLr = 1e-2, PuzzleEmbWeightDecay = 0.1,
        CheckpointPath = run,
    };

    /// <summary>Trains and returns the checkpoint directories, in step order.</summary>
    public static IReadOnlyList<string> Train(string data, string run, int epochs, int? evalInterval = null)
    {
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(Config(data, run, epochs, evalInterval), run)) trainer.Run(observer);
        return observer.Checkpoints;
    }

    static int[][] Rows(byte[,] grid) =>
        [.. Enumerable.Range(0, grid.GetLength(0)).Select(r => Enumerable.Range(0, grid.GetLength(1)).Select(c => (int)grid[r, c]).ToArray())];
}
