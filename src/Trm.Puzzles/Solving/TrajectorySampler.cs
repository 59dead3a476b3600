using Trm.Model;
using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// A puzzle's sampled runs, in its own frame: the one chosen, all of them (answers and steps mapped back from augmented
/// copies), and the distinct answers they gave, most frequent first.
/// </summary>
public sealed record SampledPuzzle(long Index, FinishedPuzzle Chosen, IReadOnlyList<FinishedPuzzle> Runs, IReadOnlyList<AnswerCandidate> Candidates)
{
    /// <summary>The puzzle's solution: the chosen run's answer, steps and reason, with how the runs' answers spread.</summary>
    public Solution ToSolution() => new(Chosen.Answer, Chosen.StepsUsed, Chosen.Steps, Chosen.Stopped) { Candidates = Candidates };
}

/// <summary>One run of a request: what the model runs (the request's tokens or an augmented copy's, with the run's own noise
/// seed), which view it is (0: the request itself), and how its answers map back into the request's frame (null: as they are).</summary>
public sealed record SampledRun(PuzzleRequest Request, int View, Func<int[], int[]>? ToOriginal)
{
    /// <summary>A finished run in the request's frame: its answer and every step's mapped back.</summary>
    public FinishedPuzzle Back(FinishedPuzzle finished) => ToOriginal is { } map
        ? finished with { Answer = map(finished.Answer), Steps = [.. finished.Steps.Select(s => s with { Answer = map(s.Answer) })] }
        : finished;
}

/// <summary>
/// Test-time compute over the slot recycler (<see cref="Sampling"/>): each request becomes trajectories x (copies + 1) runs,
/// adjacent in one stream of batch slots (each with its own noise generator, halting on its own), and once a puzzle's runs
/// have all finished, their answers are mapped back into its frame and one is chosen.
/// </summary>
public static class TrajectorySampler
{
    /// <param name="onFinished">Called once per request, with its position in <paramref name="requests"/>, as its last run finishes.</param>
    public static void Run(IStepEngine engine, IEnumerable<PuzzleRequest> requests, int slots, HaltingPolicy policy, Sampling sampling, bool keepSteps,
        Action<SampledPuzzle> onFinished)
    {
        var runs = new Dictionary<long, (long Puzzle, SampledRun Run)>();   // stream index -> its puzzle and run
        var done = new Dictionary<long, List<FinishedPuzzle>>();
        var expected = new Dictionary<long, int>();

        IEnumerable<PuzzleRequest> Runs()
        {
            long puzzle = 0, index = 0;
            foreach (var request in requests)
            {
                var ofRequest = RunsOf(request, sampling);
                expected[puzzle] = ofRequest.Count;
                foreach (var run in ofRequest)
                {
                    runs[index++] = (puzzle, run);
                    yield return run.Request;
                }
                puzzle++;
            }
        }

        SlotRecycler.Run(engine, Runs(), slots, policy, keepSteps, finished =>
        {
            runs.Remove(finished.Index, out var of);
            var (puzzle, run) = of;
            var back = run.Back(finished);
            if (!done.TryGetValue(puzzle, out var list)) done[puzzle] = list = [];
            list.Add(back with { Index = puzzle });
            if (list.Count < expected[puzzle]) return;
            done.Remove(puzzle);
            expected.Remove(puzzle);
            onFinished(Choose(puzzle, list, sampling.Select));
        }, sampling.LatentNoise, measureChange: sampling.MeasuresChange);
    }

    /// <summary>A request's runs, in stream order: per view (the request, then its first <see cref="Sampling.Augment"/> copies) its
    /// <see cref="Sampling.Trajectories"/> trajectories, each with a noise seed from the sampling seed, the request's tokens, the view
    /// and the trajectory (so a run's noise does not depend on what else is solved).</summary>
    public static IReadOnlyList<SampledRun> RunsOf(PuzzleRequest request, Sampling sampling)
    {
        var views = new List<(int[] Tokens, Func<int[], int[]>? ToOriginal)> { (request.Tokens, null) };
        views.AddRange(request.Augmented.Take(sampling.Augment).Select(v => (v.Tokens, (Func<int[], int[]>?)v.ToOriginal)));
        ulong content = request.ContentHash();
        var runs = new List<SampledRun>(views.Count * sampling.Trajectories);
        for (int v = 0; v < views.Count; v++)
            for (int k = 0; k < sampling.Trajectories; k++)
                runs.Add(new SampledRun(new PuzzleRequest(views[v].Tokens, request.PuzzleIdentifier) { NoiseSeed = Mix(sampling.Seed, content, (ulong)v, (ulong)k) },
                    v, views[v].ToOriginal));
        return runs;
    }

    /// <summary>How many runs <paramref name="requests"/> make: per request, trajectories x (its copies, at most <see cref="Sampling.Augment"/>, + 1).</summary>
    public static long RunCount(IEnumerable<PuzzleRequest> requests, Sampling sampling) =>
        requests.Sum(r => (long)sampling.Trajectories * (1 + Math.Min(sampling.Augment, r.Augmented.Count)));

    /// <summary>One puzzle's answer among its runs, by <paramref name="select"/>; ties go to the earlier run.</summary>
    public static SampledPuzzle Choose(long puzzle, IReadOnlyList<FinishedPuzzle> runs, TrajectorySelection select)
    {
        static double Probability(FinishedPuzzle run) => 1 / (1 + Math.Exp(-(double)run.QHaltLogit));
        var groups = runs.Select((run, i) => (Run: run, Order: i)).GroupBy(r => string.Join(",", r.Run.Answer))
            .Select(g => (Members: g.ToList(), Count: g.Count(), Sum: g.Sum(r => Probability(r.Run)), Mean: g.Average(r => Probability(r.Run)), First: g.Min(r => r.Order)))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.Mean).ThenBy(g => g.First).ToList();
        // A run of a chosen answer: the one with the highest q_halt, whose steps are shown.
        FinishedPuzzle Best(IEnumerable<(FinishedPuzzle Run, int Order)> members) => members.OrderByDescending(m => m.Run.QHaltLogit).ThenBy(m => m.Order).First().Run;
        var chosen = select switch
        {
            TrajectorySelection.Vote => Best(groups[0].Members),
            TrajectorySelection.QVote => Best(groups.OrderByDescending(g => g.Sum).ThenBy(g => g.First).First().Members),
            TrajectorySelection.Converged => runs.Select((run, i) => (Run: run, Order: i)).OrderBy(r => Settling(r.Run)).ThenByDescending(r => r.Run.QHaltLogit).ThenBy(r => r.Order).First().Run,
            _ => Best(runs.Select((run, i) => (run, i))),
        };
        var candidates = runs.Count == 1 ? [] : groups.Select(g => new AnswerCandidate(g.Members[0].Run.Answer, g.Count, g.Mean)).ToList();
        return new SampledPuzzle(puzzle, chosen, runs, candidates);
    }

    /// <summary>How much a run's logits still moved at its end: the mean change over its last (up to) three steps; a run of
    /// one step has none measured and comes last.</summary>
    public static double Settling(FinishedPuzzle run) =>
        run.LogitChanges.Count == 0 ? double.PositiveInfinity : run.LogitChanges.TakeLast(3).Average();

    /// <summary>SplitMix64 over <paramref name="parts"/>: independent seeds per (seed, puzzle, copy, trajectory).</summary>
    public static ulong Mix(params ulong[] parts)
    {
        ulong state = 0;
        foreach (var part in parts)
        {
            state += part + 0x9E3779B97F4A7C15;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            state = z ^ (z >> 31);
        }
        return state;
    }
}
