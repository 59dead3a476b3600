using System.Diagnostics;
using Trm.Evaluation;
using Trm.Training;

namespace Trm.Cli.Commands;

/// <summary>
/// Shows a training run: on a terminal one status line redrawn in place (step/total, loss, accuracy,
/// learning rate, examples per second, time left); otherwise a plain line every 5 % of the run.
/// Evaluations print a table per set.
/// </summary>
public sealed class TrainingConsole(TextWriter output, bool interactive, int globalBatchSize) : ITrainingObserver
{
    static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(250);
    readonly Stopwatch sinceRedraw = Stopwatch.StartNew();
    long firstStep = -1;
    bool lineOpen;

    public static TrainingConsole ForConsole(int globalBatchSize) => new(Console.Out, !Console.IsOutputRedirected, globalBatchSize);

    public void OnStep(StepReport report)
    {
        if (firstStep < 0) firstStep = report.Step - 1;
        bool last = report.Step == report.TotalSteps;
        if (interactive)
        {
            if (!last && sinceRedraw.Elapsed < RedrawInterval) return;
            sinceRedraw.Restart();
            output.Write($"\r{StatusLine(report)}   ");
            lineOpen = !last;
            if (last) output.WriteLine();
        }
        else
        {
            long every = Math.Max(1, report.TotalSteps / 20);
            if (report.Step % every == 0 || last || report.Step == firstStep + 1) output.WriteLine(StatusLine(report));
        }
    }

    string StatusLine(StepReport r)
    {
        double seconds = r.Elapsed.TotalSeconds;
        long stepsDone = r.Step - firstStep;
        double stepsPerSecond = seconds > 0 ? stepsDone / seconds : 0;
        var left = stepsPerSecond > 0 ? TimeSpan.FromSeconds((r.TotalSteps - r.Step) / stepsPerSecond) : TimeSpan.Zero;
        double fraction = r.TotalSteps == 0 ? 1 : (double)r.Step / r.TotalSteps;
        int filled = (int)(fraction * 20);
        double loss = r.Metrics.LmLoss + 0.5 * r.Metrics.QHaltLoss;
        return $"step {r.Step}/{r.TotalSteps} [{new string('#', filled)}{new string('.', 20 - filled)}] " +
               $"loss {loss:F3}  acc {r.Metrics.Accuracy:P1}  exact {r.Metrics.ExactAccuracy:P1}  " +
               $"lr {r.LearningRate:0.0e+0}  {stepsPerSecond * globalBatchSize:F0} ex/s  {ProgressDisplay.Clock(left)} left";
    }

    public void OnEvaluation(long step, IReadOnlyList<SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics)
    {
        CloseLine();
        output.WriteLine($"evaluation at step {step}:");
        EvaluationTable.Write(output, sets, evaluatorMetrics);
    }

    public void OnCheckpoint(string directory)
    {
        CloseLine();
        output.WriteLine($"checkpoint: {directory}");
    }

    public void OnMessage(string message)
    {
        CloseLine();
        output.WriteLine(message);
    }

    void CloseLine()
    {
        if (!lineOpen) return;
        output.WriteLine();
        lineOpen = false;
    }
}
