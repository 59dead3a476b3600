using Trm.Model;
using Trm.Puzzles;
using Trm.Solving;
using static TorchSharp.torch;

namespace Trm.Tests.Solving;

/// <summary><see cref="SlotRecycler.Serve"/>: continuous batching over a live feed gives each request what a batch of its own gives.</summary>
public class LiveSlotsTests
{
    internal sealed class ListFeed(IEnumerable<LiveRequest> requests) : ISlotFeed
    {
        readonly Queue<LiveRequest> waiting = new(requests);
        public int Waits { get; private set; }
        public LiveRequest? TryTake() => waiting.TryDequeue(out var r) ? r : null;
        public bool WaitForWork()
        {
            Waits++;
            return waiting.Count > 0;
        }
    }

    static TrmAct Model()
    {
        manual_seed(0);
        var model = new TrmAct(TinyModels.Config());
        return model;
    }

    static PuzzleRequest Request(int seed) => new([.. Enumerable.Range(0, 16).Select(i => 1 + (i * 7 + seed * 3) % 5)], seed % 5);

    [Fact]
    public void EachRequestStopsByItsOwnPolicyWithTheAnswersOfItsOwnBatch()
    {
        using var model = Model();
        var policies = new[] { HaltingPolicy.Fixed(1), HaltingPolicy.Fixed(3), HaltingPolicy.Fixed(5), HaltingPolicy.Fixed(2) };
        var finished = new Dictionary<int, FinishedPuzzle>();
        var stepsSeen = new Dictionary<int, List<int>>();
        var requests = Enumerable.Range(0, 9).Select(i =>
        {
            stepsSeen[i] = [];
            return new LiveRequest(Request(i), policies[i % policies.Length], CancellationToken.None, f => finished[i] = f, (n, _) => stepsSeen[i].Add(n));
        }).ToList();

        var feed = new ListFeed(requests);
        using (var engine = new ActStepEngine(model, CPU)) SlotRecycler.Serve(engine, feed, slots: 3, seqLen: 16);

        Assert.Equal(9, finished.Count);
        for (int i = 0; i < 9; i++)
        {
            var policy = policies[i % policies.Length];
            FinishedPuzzle? alone = null;
            using (var engine = new ActStepEngine(model, CPU)) SlotRecycler.Run(engine, [Request(i)], 1, policy, keepSteps: true, f => alone = f);
            Assert.Equal(policy.MaxSteps, finished[i].StepsUsed);
            Assert.Equal(StopReason.FixedSteps, finished[i].Stopped);
            Assert.Equal(alone!.Answer, finished[i].Answer);
            Assert.Equal(alone.Steps.Select(s => s.Answer), finished[i].Steps.Select(s => s.Answer));
            Assert.Equal(alone.QHaltLogit, finished[i].QHaltLogit, 3);
            Assert.Equal(Enumerable.Range(1, policy.MaxSteps), stepsSeen[i]);
        }
        Assert.Equal(1, feed.Waits);   // it waited only once every slot was empty, and the closed feed ended it
    }

    [Fact]
    public void ANoisyRequestDrawsItsOwnNoiseWhateverItsCompany()
    {
        using var model = Model();
        var noise = new LatentNoise(2.0);
        // Noisy requests (each its own seed) beside plain ones, in 2 slots: rows start, continue and move between steps.
        var runs = Enumerable.Range(0, 6).Select(i => (Request: Request(i) with { NoiseSeed = 1000 + (ulong)i }, Noise: i % 3 == 2 ? null : noise,
            Policy: HaltingPolicy.Fixed(2 + i % 3))).ToList();
        var finished = new Dictionary<int, FinishedPuzzle>();
        var requests = runs.Select((r, i) => new LiveRequest(r.Request, r.Policy, CancellationToken.None, f => finished[i] = f) { Noise = r.Noise });
        using (var engine = new ActStepEngine(model, CPU)) SlotRecycler.Serve(engine, new ListFeed(requests), slots: 2, seqLen: 16);

        Assert.Equal(6, finished.Count);
        int changedByNoise = 0;
        for (int i = 0; i < runs.Count; i++)
        {
            FinishedPuzzle? alone = null, plain = null;
            using (var engine = new ActStepEngine(model, CPU))
            {
                SlotRecycler.Run(engine, [runs[i].Request], 1, runs[i].Policy, keepSteps: true, f => alone = f, runs[i].Noise);
                SlotRecycler.Run(engine, [runs[i].Request], 1, runs[i].Policy, keepSteps: true, f => plain = f);
            }
            Assert.Equal(alone!.Steps.Select(s => s.Answer), finished[i].Steps.Select(s => s.Answer));
            Assert.Equal(alone.QHaltLogit, finished[i].QHaltLogit, 3);
            if (!plain!.Steps.SelectMany(s => s.Answer).SequenceEqual(alone.Steps.SelectMany(s => s.Answer))) changedByNoise++;
        }
        Assert.Equal(4, changedByNoise);   // the noise is drawn, and it changes the answers of every noisy run only
    }

    [Fact]
    public void ACancelledRequestLeavesItsSlotAfterTheCurrentStep()
    {
        using var model = Model();
        using var cancel = new CancellationTokenSource();
        int steps = 0, dropped = 0;
        FinishedPuzzle? other = null, cancelled = null;
        var requests = new[]
        {
            new LiveRequest(Request(0), HaltingPolicy.Fixed(50), cancel.Token, f => cancelled = f, (n, _) => { steps = n; if (n == 2) cancel.Cancel(); }, () => dropped++),
            new LiveRequest(Request(1), HaltingPolicy.Fixed(4), CancellationToken.None, f => other = f),
            new LiveRequest(Request(2), HaltingPolicy.Fixed(1), new CancellationToken(canceled: true), f => throw new InvalidOperationException("ran"), OnDropped: () => dropped++),
        };
        using (var engine = new ActStepEngine(model, CPU)) SlotRecycler.Serve(engine, new ListFeed(requests), slots: 2, seqLen: 16);

        Assert.Null(cancelled);
        Assert.Equal(2, steps);       // no step after the one where its caller went away
        Assert.Equal(2, dropped);     // and the one cancelled while waiting never ran
        Assert.Equal(4, other!.StepsUsed);
    }
}
