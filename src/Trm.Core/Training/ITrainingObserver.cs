using Trm.Evaluation;
using Trm.Model;

namespace Trm.Training;

/// <summary>One optimizer step as the progress display and logs see it: metrics averaged as the reference logs them.</summary>
public sealed record StepReport(long Step, long TotalSteps, ActMetrics Metrics, double LearningRate, TimeSpan Elapsed);

/// <summary>Receives what a training run does, for display and logging.</summary>
public interface ITrainingObserver
{
    void OnStep(StepReport report);
    void OnEvaluation(long step, IReadOnlyList<SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics);
    void OnCheckpoint(string directory);
    void OnMessage(string message);
}
