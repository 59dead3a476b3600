using System.Diagnostics;
using static TorchSharp.torch;

namespace Trm.Solving;

/// <summary>
/// How many intra-op threads (libtorch's OpenMP team) a supervision step uses, by its batch width: one thread below
/// <see cref="Crossover"/> rows, <see cref="Max"/> from it. A narrow step of a small model is a few hundred short operators;
/// spreading each over a team costs more in waking and joining threads than it saves, and on a small machine the team's
/// spinning takes the cores a server's HTTP side needs. The answers do not depend on it.
/// </summary>
public sealed record ThreadPlan(int Max, int Crossover)
{
    /// <summary>The same number of threads at every width.</summary>
    public static ThreadPlan Fixed(int threads) => new(threads, 1);

    public int For(int width) => width >= Crossover ? Max : 1;

    /// <summary>The plan in words, for the server's log.</summary>
    public string Describe(int slots) =>
        Max == 1 ? "1 intra-op thread"
        : Crossover <= 1 ? $"{Max} intra-op threads"
        : Crossover > slots ? $"1 intra-op thread at every width (measured faster than {Max} up to {slots} slots)"
        : $"1 intra-op thread below {Crossover} requests in a step, {Max} from {Crossover} (measured)";

    /// <summary>
    /// Measures on <paramref name="engine"/> (its model, on the CPU) the time of a step at one thread and at
    /// <paramref name="max"/>, for widths 1, 2, 4, ... up to <paramref name="slots"/>; the crossover is the first width where
    /// <paramref name="max"/> threads are not slower. Past <paramref name="budget"/> the widths not yet measured are taken to pay
    /// for the threads (a wider step only has more work to share). Leaves the engine cleared; must run on the thread that will step it.
    /// </summary>
    public static ThreadPlan Measure(ActStepEngine engine, int slots, int seqLen, int max, TimeSpan budget)
    {
        if (max <= 1) return Fixed(1);
        var clock = Stopwatch.StartNew();
        try
        {
            // Until the runtime has compiled the step's hot code at its final tier (it does so after a few dozen calls).
            for (int warm = 0; warm < 10 && clock.Elapsed < budget / 4; warm++) StepSeconds(engine, 1, seqLen, warm % 2 == 0 ? 1 : max);
            for (int width = 1; ; width = Math.Min(2 * width, slots))
            {
                // Three times each, alternating, keeping the fastest: a measurement may be slowed by anything else the machine runs.
                double one = double.MaxValue, all = double.MaxValue;
                for (int round = 0; round < 3; round++)
                {
                    one = Math.Min(one, StepSeconds(engine, width, seqLen, 1));
                    all = Math.Min(all, StepSeconds(engine, width, seqLen, max));
                }
                if (all <= one) return new ThreadPlan(max, width);
                if (width == slots) return new ThreadPlan(max, slots + 1);
                if (clock.Elapsed > budget) return new ThreadPlan(max, Math.Min(2 * width, slots));
            }
        }
        finally
        {
            engine.Threads = null;
            engine.Clear();
        }
    }

    // Seconds per step of `width` continuing rows of blank tokens (after one step that starts them).
    static double StepSeconds(ActStepEngine engine, int width, int seqLen, int threads, int steps = 3)
    {
        engine.Threads = Fixed(threads);
        var tokens = new int[seqLen];
        engine.Step([.. Enumerable.Range(0, width).Select(_ => new StepRow(-1, tokens, 0))]);
        var rows = Enumerable.Range(0, width).Select(row => new StepRow(row, tokens, 0)).ToList();
        var start = Stopwatch.GetTimestamp();
        for (int step = 0; step < steps; step++) engine.Step(rows);
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    /// <summary>libtorch's threads for the calling thread's operators (OpenMP's are per thread), set only when they change.</summary>
    internal static void Apply(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }
}
