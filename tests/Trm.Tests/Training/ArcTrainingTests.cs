using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.Evaluation;
using Trm.Model;
using Trm.Puzzles.Arc;
using Trm.Tests.Puzzles.Arc;
using Trm.Training;

namespace Trm.Tests.Training;

/// <summary>An ARC run end to end at toy size: puzzle embeddings trained by SignSGD, the ARC evaluator at training time and in trm eval.</summary>
[Collection(nameof(SequentialTraining))]
public class ArcTrainingTests
{
    [Fact]
    public void TrainingTimeAndCheckpointEvaluationsScoreArcAlike()
    {
        using var dir = new TempDirectory();
        var prefix = ArcFiles.Write(dir, "evaluation",
            string.Join(", ", ArcFiles.Puzzle("p1"), ArcFiles.Puzzle("p2", "[[3, 1], [2, 2]]"), ArcFiles.Puzzle("p3", "[[7]]", "[[6, 6]]")),
            """ "p1": [[[6]]], "p2": [[[6]]], "p3": [[[7, 7]]] """);
        ArcDatasetBuilder.Build(new ArcBuildOptions(prefix, ["evaluation"], "evaluation", dir.File("data"), NumAug: 2));

        var config = new TrainConfig
        {
            Arch = new ArchConfig
            {
                Model = new TrmConfig
                {
                    HiddenSize = 16, NumHeads = 2, Expansion = 2, HCycles = 1, LCycles = 1, LLayers = 1,
                    PuzzleEmbNdim = 16, PuzzleEmbLen = 1, HaltMaxSteps = 2, ForwardDtype = ForwardDtype.Float32,
                },
            },
            DataPaths = [dir.File("data")],
            Evaluators = [new EvaluatorConfig()],
            GlobalBatchSize = 4, Epochs = 2, EvalInterval = 2,
            Lr = 1e-3, LrMinRatio = 1, Beta1 = 0.9, Beta2 = 0.95, WeightDecay = 0.1, PuzzleEmbLr = 1e-2, PuzzleEmbWeightDecay = 0.1,
            CheckpointPath = dir.File("run"),
        };
        var observer = new RecordingObserver();
        using (var trainer = new Trainer(config, dir.File("run")))
        {
            var embedding = trainer.Model.Model.Inner.PuzzleEmbedding!.Weights.clone();
            trainer.Run(observer);
            Assert.False(embedding.equal(trainer.Model.Model.Inner.PuzzleEmbedding.Weights).all().item<bool>(), "SignSGD changed no puzzle embedding");
        }

        var trained = Assert.Single(observer.EvaluatorMetrics);
        Assert.Equal(["ARC/pass@1", "ARC/pass@2", "ARC/pass@5", "ARC/pass@10", "ARC/pass@100", "ARC/pass@1000"], trained.Keys);
        Assert.All(trained.Values, v => Assert.InRange(v, 0, 1));
        var step = observer.Evaluations[0].Step;
        var submission = JsonNode.Parse(File.ReadAllText(dir.File($"run/evaluation_step_{step}/evaluator_ARC/{ArcEvaluator.SubmissionFile}")))!.AsObject();
        Assert.Equal(["p1", "p2", "p3"], submission.Select(p => p.Key).Order());
        Assert.NotNull(submission["p1"]![0]!["attempt_2"]);

        var (report, _, _) = CheckpointEvaluation.Run(new CheckpointEvaluationRequest(dir.File($"run/step_{step}"), OutputDirectory: dir.File("eval")));
        Assert.Equal(trained, report.EvaluatorMetrics);
        Assert.True(File.Exists(dir.File($"eval/evaluator_ARC/{ArcEvaluator.SubmissionFile}")));
    }
}
