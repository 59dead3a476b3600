using Trm.Model;
using Trm.Puzzles;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Tests.Solving;

/// <summary><see cref="ThreadPlan"/>: each step's intra-op threads follow its width, the measured plan is within its range, and answers do not change.</summary>
public class ThreadPlanTests
{
    [Theory]
    [InlineData(4, 8, 1, 1)]
    [InlineData(4, 8, 7, 1)]
    [InlineData(4, 8, 8, 4)]
    [InlineData(4, 8, 64, 4)]
    [InlineData(2, 1, 1, 2)]
    public void BelowTheCrossoverOneThreadFromItAll(int max, int crossover, int width, int expected) =>
        Assert.Equal(expected, new ThreadPlan(max, crossover).For(width));

    [Fact]
    public void AStepRunsWithTheThreadsItsWidthIsGiven()
    {
        var seen = new List<int>();
        OnItsOwnThread(() =>
        {
            manual_seed(0);
            using var model = new TrmAct(TinyModels.Config());
            using var engine = new ActStepEngine(model, CPU) { Threads = new ThreadPlan(2, 3) };
            var tokens = new int[16];
            foreach (int width in new[] { 1, 3, 2, 4 })
            {
                engine.Step([.. Enumerable.Range(0, width).Select(_ => new StepRow(-1, tokens, 0))]);
                seen.Add(get_num_threads());
            }
        });
        Assert.Equal([1, 2, 1, 2], seen);
    }

    [Fact]
    public void TheMeasuredPlanIsWithinItsRangeAndTheAnswersAreThoseOfAFixedThreadCount()
    {
        static PuzzleRequest Request(int seed) => new([.. Enumerable.Range(0, 16).Select(i => 1 + (i * 7 + seed * 5) % 5)], seed % 5);
        ThreadPlan? plan = null;
        var answers = new Dictionary<string, List<int[]>>();
        OnItsOwnThread(() =>
        {
            manual_seed(0);
            using var model = new TrmAct(TinyModels.Config());
            using var engine = new ActStepEngine(model, CPU);
            plan = ThreadPlan.Measure(engine, seqLen: 16, max: 2);
            Assert.Null(engine.Threads);
            // Requests of 1 to 4 steps through 6 slots: the live batch narrows as they finish, crossing width 4.
            foreach (var (name, threads) in new[] { ("switching", new ThreadPlan(2, 4)), ("one", ThreadPlan.Fixed(1)), ("two", ThreadPlan.Fixed(2)) })
            {
                engine.Threads = threads;
                var finished = new Dictionary<int, int[]>();
                var feed = new LiveSlotsTests.ListFeed(Enumerable.Range(0, 12).Select(i =>
                    new LiveRequest(Request(i), HaltingPolicy.Fixed(1 + i % 4), CancellationToken.None, f => finished[i] = f.Answer)));
                SlotRecycler.Serve(engine, feed, slots: 6, seqLen: 16);
                answers[name] = [.. Enumerable.Range(0, 12).Select(i => finished[i])];
            }
        });

        Assert.NotNull(plan);
        Assert.Equal(2, plan.Max);
        Assert.InRange(plan.Crossover, 1, 2);
        Assert.Equal(12, answers["one"].Count);
        Assert.Equal(answers["one"], answers["two"]);
        Assert.Equal(answers["one"], answers["switching"]);
    }

    // OpenMP's thread count belongs to the calling thread: each test sets it on a thread of its own, not on a shared pool thread.
    static void OnItsOwnThread(Action work) => Task.Factory.StartNew(work, TaskCreationOptions.LongRunning).GetAwaiter().GetResult();

    [Fact]
    public void OneThreadAtMostIsNotMeasured()
    {
        manual_seed(0);
        using var model = new TrmAct(TinyModels.Config());
        using var engine = new ActStepEngine(model, CPU);
        Assert.Equal(ThreadPlan.Fixed(1), ThreadPlan.Measure(engine, 16, 1));
    }
}
