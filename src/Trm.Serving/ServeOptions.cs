using Trm.Limits;

namespace Trm.Serving;

/// <summary>
/// How <c>trm serve</c> runs: which model, where it listens, how many requests run at once (<see cref="Slots"/>) and wait
/// (<see cref="Queue"/>), and the limits no request can pass. <see cref="Checked"/> refuses unusable settings by their C# names.
/// </summary>
public sealed record ServeOptions
{
    /// <summary>Loopback only: another address must be asked for.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public required string Checkpoint { get; init; }
    public bool Ema { get; init; }
    public string? Weights { get; init; }
    public string Device { get; init; } = "cpu";
    /// <summary>The puzzle kind the model solves (<c>sudoku</c>, <c>maze</c>, <c>arc</c>); null: told from the checkpoint.</summary>
    public string? Kind { get; init; }
    /// <summary>An ARC model's dataset (its <c>identifiers.json</c>); null: the checkpoint's <c>data_paths</c>.</summary>
    public string? Data { get; init; }
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];
    /// <summary>Batch slots: requests the model runs at once.</summary>
    public int Slots { get; init; } = 64;
    /// <summary>Requests that may wait for a slot; past it, 503 with Retry-After.</summary>
    public int Queue { get; init; } = 256;
    /// <summary>When set, /v1 and /metrics need it (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key</c>); 401 without.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Origins allowed to call the API from other sites' pages; none by default (CORS off).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
    /// <summary>Most supervision steps a request may ask for; null: four times halt_max_steps, at most <see cref="Puzzles.SolveRecord.MaxSteps"/>.</summary>
    public int? MaxStepsLimit { get; init; }
    /// <summary>Most runs one puzzle request may ask for with test-time compute: trajectories x (augment + 1); each takes a slot.</summary>
    public int MaxTrajectories { get; init; } = 16;
    /// <summary>How long one request may wait and run before it is given up (504) and its slot freed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>On SIGTERM, how long requests in flight may take to finish.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>libtorch's intra-op threads for every step; 0: one thread for a step of one request when that is measured faster at start, all cores otherwise (<see cref="Solving.ThreadPlan"/>).</summary>
    public int Threads { get; init; }
    /// <summary>Largest request body (an ARC task with its pairs fits easily); 413 above.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;
    /// <summary>Deepest JSON nesting read (a task's grids are 4 levels deep); 400 deeper.</summary>
    public int MaxJsonDepth { get; init; } = 16;

    public ServeOptions Checked()
    {
        var problems = new List<SettingProblem>();
        void Within(string setting, double? value) { if (value is { } v && UserLimits.Setting(setting).Problem(v) is { } problem) problems.Add(problem); }
        Within(nameof(Slots), Slots);
        Within(nameof(Queue), Queue);
        Within(nameof(MaxStepsLimit), MaxStepsLimit);
        Within(nameof(MaxTrajectories), MaxTrajectories);
        Within(nameof(RequestTimeout), RequestTimeout.TotalSeconds);
        Within(nameof(Grace), Grace.TotalSeconds);
        Within(nameof(Threads), Threads);
        if (ApiKey is { Length: < 8 }) problems.Add(new(nameof(ApiKey), "must be at least 8 characters"));
        if (Urls.Count == 0) problems.Add(new(nameof(Urls), "must name at least one address"));
        foreach (var url in Urls)
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Scheme != "http")
                problems.Add(new(nameof(Urls), $"'{url}' is not an http://HOST:PORT address"));
        foreach (var origin in CorsOrigins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out _)) problems.Add(new(nameof(CorsOrigins), $"'{origin}' is not an origin such as https://example.org"));
        return problems.Count == 0 ? this : throw new TrmSettingsException(problems);
    }

    /// <summary>The addresses that listen beyond this machine (not loopback).</summary>
    public IEnumerable<string> ExposedUrls() => Urls.Where(u =>
        !Uri.TryCreate(u, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "localhost"));
}
