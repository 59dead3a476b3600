using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trm.Model;
using Trm.Puzzles;
using Trm.Solving;

namespace Trm.Serving;

/// <summary>A solved puzzle: its checked outcome and the solutions of its requests (the first one's steps are what was streamed).</summary>
public sealed record ServedAnswer(PuzzleOutcome Outcome, IReadOnlyList<Solution> Solutions);

/// <summary>
/// Continuous batching for every caller: one worker thread owns the model and runs the live queue through it
/// (<see cref="SlotRecycler.Serve"/>); callers put a puzzle's requests in the bounded queue and await their solutions. A caller
/// that goes away or times out cancels its requests, which leave their slots after the current step.
/// </summary>
public sealed class SolveService(ServedModel served, ServeOptions options, ServeMetrics metrics, IHostApplicationLifetime lifetime, ILogger<SolveService> log) : IHostedService, IDisposable
{
    readonly SolveQueue queue = new(options.Queue);
    readonly ServeMetrics metrics = metrics;
    readonly ConcurrentDictionary<TaskCompletionSource, byte> pending = new();
    Thread? worker;
    volatile Exception? failure;
    int running;

    public ServedModel Served => served;

    /// <summary>The worker runs and takes requests (they wait while it measures its <see cref="Plan"/>).</summary>
    public bool Running => worker is { IsAlive: true } && failure is null && !stopping;
    volatile bool stopping;

    /// <summary>Running, with the intra-op threads of each step measured: what <c>/readyz</c> reports.</summary>
    public bool Ready => Running && Plan is not null;

    /// <summary>The worker's intra-op threads by batch width (<see cref="ServeOptions.Threads"/>); null until measured.</summary>
    public ThreadPlan? Plan { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Slots.Set(options.Slots);
        worker = new Thread(Work) { Name = "trm serve worker", IsBackground = true };
        worker.Start();
        return Task.CompletedTask;
    }

    void Work()
    {
        try
        {
            // The threads are measured once the web server has started, not beside its start-up work.
            lifetime.ApplicationStarted.WaitHandle.WaitOne();
            served.Model.Serve(new CountingFeed(this), options.Slots, served.SeqLen, options.Threads, plan =>
            {
                Plan = plan;
                log.LogInformation("the model's worker uses {Plan}", plan);
            });
        }
        catch (Exception e)
        {
            failure = e;
            queue.Close();
            log.LogError(e, "the model's worker failed; the service answers 503 from now on");
            foreach (var waiter in pending.Keys) waiter.TrySetException(e);
        }
    }

    /// <summary>Stops taking requests; those waiting and running finish (the host's shutdown timeout is the grace period).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        queue.Close();
        // The web server has already drained its requests (within the grace period); give the worker what is left of it.
        worker?.Join(options.Grace);
        return Task.CompletedTask;
    }

    /// <summary>A host disposed without being stopped (the test server) still releases the model.</summary>
    public void Dispose()
    {
        stopping = true;
        queue.Close();
        worker?.Join();
    }

    /// <summary>
    /// Puts one puzzle's requests in the queue, or refuses at once (503 when not ready or full, 422 for a puzzle the model cannot
    /// take), and returns its answer's task, which <paramref name="cancel"/> ends (its requests then leave their slots after the
    /// current step). With test-time compute each request is <see cref="Sampling.RunsPerPuzzle"/> runs (<see cref="TrajectorySampler.RunsOf"/>:
    /// the same runs, noise seeds and choice as <c>trm solve</c>), all entering the queue together. <paramref name="onStep"/> sees the
    /// first request's first run's steps, on the worker thread.
    /// </summary>
    public Task<ServedAnswer> Solve(IPuzzle puzzle, HaltingPolicy policy, Sampling sampling, Action<int, SolveStep>? onStep, CancellationToken cancel)
    {
        if (!Running) throw new ProblemException(503, "Not ready", failure is null ? "the service is starting or stopping; try again." : "the model's worker failed; see the server's log.", retryAfter: TimeSpan.FromSeconds(5));
        var requests = served.Requests(puzzle, sampling, queue.Capacity / sampling.RunsPerPuzzle);
        var solutions = new Solution[requests.Count];
        int left = requests.Count;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var live = new List<LiveRequest>();
        for (int i = 0; i < requests.Count; i++)
        {
            int index = i;
            var runs = sampling.IsPlain ? [new SampledRun(requests[i], 0, null)] : TrajectorySampler.RunsOf(requests[i], sampling);
            var finishedRuns = new List<FinishedPuzzle>(runs.Count);
            foreach (var (run, r) in runs.Select((run, r) => (run, r)))
                live.Add(new LiveRequest(run.Request, policy, cancel,
                    finished =>
                    {
                        Interlocked.Decrement(ref running);
                        metrics.Steps.Inc(finished.StepsUsed);
                        // In the order the runs finish, as offline (the choice's ties go to the earlier); one worker thread calls back.
                        finishedRuns.Add(run.Back(finished) with { Index = index });
                        if (finishedRuns.Count < runs.Count) return;
                        metrics.Puzzles.Inc();
                        solutions[index] = TrajectorySampler.Choose(index, finishedRuns, sampling.Select).ToSolution();
                        if (Interlocked.Decrement(ref left) == 0) done.TrySetResult();
                    },
                    index == 0 && r == 0 ? onStep : null,
                    () =>
                    {
                        Interlocked.Decrement(ref running);
                        done.TrySetCanceled();
                    })
                {
                    Noise = sampling.LatentNoise, MeasureChange = sampling.MeasuresChange,
                });
        }

        pending.TryAdd(done, 0);
        if (!queue.TryAdd(live))
        {
            pending.TryRemove(done, out _);
            metrics.Rejected.Inc();
            throw new ProblemException(503, "Busy", $"the queue is full ({queue.Capacity} requests wait for {options.Slots} slots); try again shortly.", retryAfter: TimeSpan.FromSeconds(1));
        }
        metrics.QueueDepth.Set(queue.Depth);
        return Answer(puzzle, solutions, done, cancel);
    }

    async Task<ServedAnswer> Answer(IPuzzle puzzle, Solution[] solutions, TaskCompletionSource done, CancellationToken cancel)
    {
        try
        {
            using (cancel.Register(() => done.TrySetCanceled(cancel)))
                await done.Task;
            return new ServedAnswer(puzzle.Conclude(solutions), solutions);
        }
        finally
        {
            pending.TryRemove(done, out _);
        }
    }

    /// <summary>The queue as the worker sees it, counting what runs for the metrics.</summary>
    sealed class CountingFeed(SolveService service) : ISlotFeed
    {
        public LiveRequest? TryTake()
        {
            var request = service.queue.TryTake();
            if (request is not null) Interlocked.Increment(ref service.running);
            service.metrics.QueueDepth.Set(service.queue.Depth);
            service.metrics.SlotsOccupied.Set(Volatile.Read(ref service.running));
            return request;
        }

        public bool WaitForWork()
        {
            service.metrics.SlotsOccupied.Set(Volatile.Read(ref service.running));
            return service.queue.WaitForWork();
        }
    }
}
