using Trm.Evaluation;
using Trm.Logging;

namespace Trm.Training;

/// <summary>
/// Records a run in its directory as well as showing it: every step's metrics and learning rate and
/// every evaluation go to <c>metrics.jsonl</c> and to TensorBoard event files (tags <c>train/...</c>,
/// <c>&lt;set&gt;/...</c>), then to the display.
/// </summary>
public sealed class RunLog(string runDirectory, ITrainingObserver display) : ITrainingObserver, IDisposable
{
    readonly MetricsLog metrics = new(runDirectory);
    readonly TensorBoardWriter tensorBoard = new(runDirectory);

    public void OnStep(StepReport report)
    {
        var values = report.Metrics.Named().Append(("lr", report.LearningRate)).ToDictionary(v => v.Item1, v => v.Item2);
        metrics.Write(report.Step, "train", values);
        tensorBoard.AddScalars(report.Step, values.ToDictionary(v => $"train/{v.Key}", v => v.Value));
        display.OnStep(report);
    }

    public void OnEvaluation(long step, IReadOnlyList<SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics)
    {
        foreach (var set in sets)
        {
            metrics.Write(step, set.Set, set.Named());
            tensorBoard.AddScalars(step, set.Named().ToDictionary(v => $"{set.Set}/{v.Key}", v => v.Value));
        }
        if (evaluatorMetrics.Count > 0)
        {
            metrics.Write(step, "evaluator", evaluatorMetrics);
            tensorBoard.AddScalars(step, evaluatorMetrics);
        }
        display.OnEvaluation(step, sets, evaluatorMetrics);
    }

    public void OnCheckpoint(string directory) => display.OnCheckpoint(directory);

    public void OnMessage(string message) => display.OnMessage(message);

    public void Dispose()
    {
        metrics.Dispose();
        tensorBoard.Dispose();
    }
}
