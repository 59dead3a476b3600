using Prometheus;

namespace Trm.Serving;

/// <summary>
/// The service's Prometheus metrics (names with units, as Prometheus' conventions ask), in a registry of their own beside
/// the process's (<c>process_resident_memory_bytes</c>, CPU seconds, GC): requests by endpoint and status, errors by reason,
/// queue depth, slots and how many run, the latency histogram, and puzzles and supervision steps done (their rate is
/// puzzles per second).
/// </summary>
public sealed class ServeMetrics
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
    public Counter Requests { get; }
    public Counter Errors { get; }
    public Counter Rejected { get; }
    public Gauge QueueDepth { get; }
    public Gauge Slots { get; }
    public Gauge SlotsOccupied { get; }
    public Histogram Duration { get; }
    public Counter Puzzles { get; }
    public Counter Steps { get; }

    public ServeMetrics()
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        Requests = factory.CreateCounter("trm_requests_total", "HTTP requests to /v1 by endpoint and status code.", "endpoint", "status");
        Errors = factory.CreateCounter("trm_errors_total", "Requests refused or failed, by reason (bad_json, too_large, unsupported_media_type, invalid_field, invalid_puzzle, busy, timeout, client_gone, unauthorized, internal).", "reason");
        Rejected = factory.CreateCounter("trm_queue_rejections_total", "Puzzles refused with 503 because the queue was full.");
        QueueDepth = factory.CreateGauge("trm_queue_depth", "Model requests waiting for a batch slot.");
        Slots = factory.CreateGauge("trm_slots", "Batch slots (requests the model runs at once).");
        SlotsOccupied = factory.CreateGauge("trm_slots_occupied", "Batch slots running a request.");
        Duration = factory.CreateHistogram("trm_request_duration_seconds", "Time from a solve request's arrival to its answer, by endpoint.", new HistogramConfiguration
        {
            LabelNames = ["endpoint"],
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 16),
        });
        Puzzles = factory.CreateCounter("trm_puzzles_solved_total", "Model requests finished (rate: puzzles per second).");
        Steps = factory.CreateCounter("trm_supervision_steps_total", "Supervision steps run for finished requests.");
    }
}
