using System.Diagnostics;
using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// One point of a test-time compute study: the settings, the share of puzzles the chosen answers solve, the share any run
/// solves (the oracle), how well the Q head ranks right answers above wrong ones (ROC area over the distinct answers, each
/// counted for its runs, scored by their mean sigmoid(q_halt)), and the speed.
/// </summary>
public sealed record ScalingPoint(Sampling Sampling, int MaxSteps, int Puzzles, double Solved, double Oracle, double QAlignment,
    double PuzzlesPerSecond, double RunsPerSecond);

/// <summary>Held-out accuracy against compute: the same puzzles solved at every point of a grid of <see cref="Sampling"/> settings and step caps.</summary>
public static class ScalingStudy
{
    /// <param name="options">Stepping shared by every point (halting, batch size); each point sets the steps and the sampling.</param>
    /// <param name="onPoint">Called as each point is measured.</param>
    public static IReadOnlyList<ScalingPoint> Run(IPuzzleModel model, IReadOnlyList<IPuzzle<PuzzleOutcome>> puzzles,
        IEnumerable<(Sampling Sampling, int MaxSteps)> points, SolveOptions options, Action<ScalingPoint>? onPoint = null)
    {
        var measured = new List<ScalingPoint>();
        foreach (var (sampling, maxSteps) in points)
        {
            var clock = Stopwatch.StartNew();
            var outcomes = PuzzleSolving.Solve(model, puzzles, options with { MaxSteps = maxSteps, Sampling = sampling.Checked() });
            double seconds = clock.Elapsed.TotalSeconds;
            long runs = 0;
            int solved = 0, oracle = 0;
            var ranked = new List<(double Score, bool Right)>();
            foreach (var (puzzle, outcome) in puzzles.Zip(outcomes))
            {
                var solution = Solution(outcome);
                if (outcome.Solved == true) solved++;
                // Each distinct answer checked once: the oracle is any of them right; the ROC area counts each for its runs.
                var answers = RunAnswer.Of(puzzle, solution) ?? [new RunAnswer(1, solution.HaltProbability, outcome.Solved, Chosen: true)];
                if (answers.Any(a => a.Right == true)) oracle++;
                foreach (var answer in answers)
                {
                    ranked.AddRange(Enumerable.Repeat((answer.MeanHaltProbability, answer.Right == true), answer.Runs));
                    runs += answer.Runs;
                }
            }
            var point = new ScalingPoint(sampling, maxSteps, puzzles.Count, (double)solved / puzzles.Count, (double)oracle / puzzles.Count,
                RocArea.Of(ranked), puzzles.Count / seconds, runs / seconds);
            onPoint?.Invoke(point);
            measured.Add(point);
        }
        return measured;
    }

    // The solution an outcome was concluded from: the single-request kinds keep it on their outcome.
    static Solution Solution(PuzzleOutcome outcome) => outcome switch
    {
        ISolvedFrom single => single.Solution,
        _ => throw new ArgumentException($"a scaling study needs puzzles of one request each; {outcome.GetType().Name} is not one", nameof(outcome)),
    };
}
