using System.Diagnostics;
using static TorchSharp.torch;

namespace Trm.Solving;

/// <summary>
/// How many intra-op threads (libtorch's OpenMP team) a supervision step uses, by its batch width: one thread below
/// <see cref="Crossover"/> rows, <see cref="Max"/> from it. A step of one puzzle of a small model is a few hundred short
/// operators; spreading each over a team costs more in waking and joining threads than it saves. The answers do not depend on it.
/// </summary>
public sealed record ThreadPlan(int Max, int Crossover)
{
    /// <summary>The same number of threads at every width.</summary>
    public static ThreadPlan Fixed(int threads) => new(threads, 1);

    public int For(int width) => width >= Crossover ? Max : 1;

    /// <summary>The plan in words, for a log.</summary>
    public override string ToString() =>
        Max == 1 ? "1 intra-op thread"
        : Crossover <= 1 ? $"{Max} intra-op threads"
        : $"1 intra-op thread for steps narrower than {Crossover} requests, {Max} from {Crossover}";

    /// <summary>
    /// Measures on <paramref name="engine"/> (its model, on the CPU) a step of one request at one thread and at
    /// <paramref name="max"/>: one thread below width 2 when it is faster, else <paramref name="max"/> at every width. Wider
    /// steps keep all cores: they have the work to share, and under load (measured on 2 cores with 8 and 64 clients) a wider
    /// crossover lost throughput. Leaves the engine cleared, without a plan; must run on the thread that will step it.
    /// </summary>
    public static ThreadPlan Measure(ActStepEngine engine, int seqLen, int max)
    {
        if (max <= 1) return Fixed(1);
        try
        {
            // Alternating, keeping each one's fastest: the first rounds pay for compiling the step's code at its final tier,
            // and any one may be slowed by whatever else the machine runs.
            double one = double.MaxValue, all = double.MaxValue;
            for (int round = 0; round < 8; round++)
            {
                one = Math.Min(one, StepSeconds(engine, seqLen, 1));
                all = Math.Min(all, StepSeconds(engine, seqLen, max));
            }
            return one < all ? new ThreadPlan(max, 2) : Fixed(max);
        }
        finally
        {
            engine.Threads = null;
            engine.Clear();
        }
    }

    // Seconds per step of one continuing row of blank tokens (after a step that starts it).
    static double StepSeconds(ActStepEngine engine, int seqLen, int threads, int steps = 3)
    {
        engine.Threads = Fixed(threads);
        var tokens = new int[seqLen];
        engine.Step([new StepRow(-1, tokens, 0)]);
        StepRow[] row = [new(0, tokens, 0)];
        var start = Stopwatch.GetTimestamp();
        for (int step = 0; step < steps; step++) engine.Step(row);
        return Stopwatch.GetElapsedTime(start).TotalSeconds / steps;
    }

    /// <summary>libtorch's threads for the calling thread's operators (OpenMP's are per thread), set only when they change.</summary>
    internal static void Apply(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }
}
