using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Scalar.AspNetCore;
using Trm.Puzzles;
using Trm.Solving;

namespace Trm.Serving;

/// <summary>
/// The web service of <c>trm serve</c>: the page at <c>/</c>, the JSON API under <c>/v1</c> (solve, solve as server-sent
/// events, the model, an example puzzle), <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, the OpenAPI document
/// (<c>/openapi/v1.json</c>) and its page (<c>/scalar</c>). Every refusal is <c>application/problem+json</c>.
/// </summary>
public static class ServeApp
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <param name="configure">Changes before the app is built (the tests' in-process server).</param>
    public static WebApplication Build(ServeOptions options, ServedModel served, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Trm.Serving", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MaxConcurrentConnections = 4096;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Grace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(served);
        builder.Services.AddSingleton<ServeMetrics>();
        builder.Services.AddSingleton<SolveService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SolveService>());
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "trm serve";
            document.Info.Description = "A Tiny Recursive Model as a web service: solve puzzles of the model's kind, with every supervision step on request or streamed.";
            return Task.CompletedTask;
        }));
        if (options.CorsOrigins.Count > 0)
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. options.CorsOrigins]).WithMethods("GET", "POST")
                .WithHeaders("Content-Type", "Authorization", "X-Api-Key")));
        configure?.Invoke(builder);

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<ServeMetrics>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("trm.serve");
        app.UseStatusCodePages();
        app.Use((http, next) => Guard(http, next, options, metrics, log));
        if (options.CorsOrigins.Count > 0) app.UseCors();

        app.MapGet("/", () => Page("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app.js", () => Page("app.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/style.css", () => Page("style.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/healthz", () => Results.Text("ok\n")).WithSummary("Alive: the process answers.");
        app.MapGet("/readyz", (SolveService service) => service.Ready ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: 503))
            .WithSummary("Ready: the model is loaded and its worker takes requests, its threads measured (503 otherwise).");
        app.MapMetrics("/metrics", metrics.Registry).WithDisplayName("metrics");
        app.MapOpenApi();
        app.MapScalarApiReference();

        app.MapGet("/v1/model", (ServedModel model, SolveService service) => Results.Json(model.Describe(options, service.Plan)))
            .WithSummary("The model: puzzle kind, sizes, architecture, parameters, step limits, what it was trained on.");
        app.MapGet("/v1/example", (ServedModel model, int? seed) => model.Example(seed ?? Random.Shared.Next()) is { } puzzle
                ? Results.Json(new { puzzle })
                : throw new ProblemException(404, "No example", $"this server cannot generate {model.Kind.Name} puzzles; bring a task file."))
            .WithSummary("A new puzzle of the model's kind and size (Sudoku, maze), for trying the service.");
        app.MapPost("/v1/solve", (HttpContext http, SolveService service) => Solve(http, service, options, metrics))
            .Accepts<SolveRequestSchema>("application/json").Produces<JsonObject>().ProducesProblem(400).ProducesProblem(413).ProducesProblem(415)
            .ProducesProblem(422).ProducesProblem(503).ProducesProblem(504)
            .WithSummary("Solves one puzzle: the answer, whether it is valid, the steps used and the Q head's confidence; every step with \"steps\": true.");
        app.MapPost("/v1/solve/stream", (HttpContext http, SolveService service) => Stream(http, service, options))
            .Accepts<SolveRequestSchema>("application/json").Produces(200, contentType: "text/event-stream").ProducesProblem(400).ProducesProblem(422).ProducesProblem(503)
            .WithSummary("Solves one puzzle as server-sent events: one \"step\" event per supervision step (answer, cells changed, confidence), then \"result\" (or \"error\").");
        return app;
    }

    /// <summary>The API key, metrics per request, and every refusal and failure as problem+json (never a stack trace).</summary>
    static async Task Guard(HttpContext http, RequestDelegate next, ServeOptions options, ServeMetrics metrics, ILogger log)
    {
        var path = http.Request.Path.Value ?? "/";
        bool api = path.StartsWith("/v1", StringComparison.Ordinal);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (options.ApiKey is { } key && (api || path.StartsWith("/metrics", StringComparison.Ordinal)) && !HasKey(http.Request, key))
                throw new ProblemException(401, "Unauthorized", "this server needs its API key: send 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
            await next(http);
        }
        catch (ProblemException problem)
        {
            metrics.Errors.WithLabels(Reason(problem)).Inc();
            if (!http.Response.HasStarted) await WriteProblem(http, problem);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            metrics.Errors.WithLabels("client_gone").Inc();
        }
        catch (BadHttpRequestException bad)
        {
            // Kestrel's own limits (the body size) as they are read.
            var problem = new ProblemException(bad.StatusCode, bad.StatusCode == 413 ? "Body too large" : "Bad request",
                bad.StatusCode == 413 ? $"the body is larger than {options.MaxBodyBytes} bytes." : bad.Message);
            metrics.Errors.WithLabels(Reason(problem)).Inc();
            if (!http.Response.HasStarted) await WriteProblem(http, problem);
        }
        catch (Exception e)
        {
            metrics.Errors.WithLabels("internal").Inc();
            log.LogError(e, "internal error on {Path}", path);
            if (!http.Response.HasStarted) await WriteProblem(http, new ProblemException(500, "Internal error", "the server failed on this request; its log says why."));
        }
        finally
        {
            if (api)
            {
                metrics.Requests.WithLabels(path, http.Response.StatusCode.ToString()).Inc();
                if (path.StartsWith("/v1/solve", StringComparison.Ordinal))
                    metrics.Duration.WithLabels(path).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }

    static string Reason(ProblemException problem) => problem.Status switch
    {
        400 when problem.Field is null => "bad_json",
        400 => "invalid_field",
        401 => "unauthorized",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "invalid_puzzle",
        503 => "busy",
        504 => "timeout",
        _ => "other",
    };

    static bool HasKey(HttpRequest request, string key)
    {
        string? given = request.Headers["X-Api-Key"].FirstOrDefault();
        if (given is null && AuthenticationHeaderValue.TryParse(request.Headers.Authorization.FirstOrDefault(), out var auth) &&
            auth.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) given = auth.Parameter;
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }

    static Task WriteProblem(HttpContext http, ProblemException problem)
    {
        http.Response.Clear();
        http.Response.StatusCode = problem.Status;
        if (problem.RetryAfter is { } after) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString();
        if (problem.Status == 401) http.Response.Headers.WWWAuthenticate = "Bearer";
        http.Response.ContentType = "application/problem+json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(Body(problem, http.Request.Path)));
    }

    static Dictionary<string, object?> Body(ProblemException problem, string path)
    {
        var body = new Dictionary<string, object?> { ["title"] = problem.Title, ["status"] = problem.Status, ["detail"] = problem.Message, ["instance"] = path };
        if (problem.Field is not null) body["field"] = problem.Field;
        return body;
    }

    /// <summary>Reads and checks a solve request: media type (415), size (413), JSON (400), fields (400/422), the puzzle against the model (422).</summary>
    static async Task<(SolveRequest Request, IPuzzle Puzzle, Model.HaltingPolicy Policy, Sampling Sampling)> Prepare(HttpContext http, SolveService service, ServeOptions options)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || media.MediaType != "application/json")
            throw new ProblemException(415, "Unsupported media type", "send the puzzle as JSON with 'Content-Type: application/json'.");
        if (http.Request.ContentLength > options.MaxBodyBytes)
            throw new ProblemException(413, "Body too large", $"the body is {http.Request.ContentLength} bytes; this server reads at most {options.MaxBodyBytes}.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > options.MaxBodyBytes)
                throw new ProblemException(413, "Body too large", $"the body is larger than {options.MaxBodyBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        var served = service.Served;
        var request = SolveRequest.Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), options.MaxJsonDepth, served.Kind.Name);
        var policy = served.Policy(request.MaxSteps, request.Adaptive, request.HaltThreshold, served.StepLimit(options));
        var sampling = served.Sampling(request.Sampling, options.MaxTrajectories);
        return (request, served.Read(request.Puzzle, "puzzle", request.TaskId), policy, sampling);
    }

    static async Task<IResult> Solve(HttpContext http, SolveService service, ServeOptions options, ServeMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var (request, puzzle, policy, sampling) = await Prepare(http, service, options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.RequestTimeout);
        var answer = await TimedOut(service.Solve(puzzle, policy, sampling, null, timeout.Token), http, options);
        return Results.Text(Result(answer, request, policy, Stopwatch.GetElapsedTime(started)).ToJsonString(), "application/json");
    }

    static async Task<ServedAnswer> TimedOut(Task<ServedAnswer> solving, HttpContext http, ServeOptions options)
    {
        try
        {
            return await solving;
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            throw new ProblemException(504, "Timed out", $"the puzzle was not solved within the server's limit of {options.RequestTimeout.TotalSeconds:0.#} s (waiting included); its slot was freed.");
        }
    }

    static async Task Stream(HttpContext http, SolveService service, ServeOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var (request, puzzle, policy, sampling) = await Prepare(http, service, options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.RequestTimeout);
        var steps = Channel.CreateUnbounded<(int Number, SolveStep Step)>(new UnboundedChannelOptions { SingleReader = true });
        var solving = service.Solve(puzzle, policy, sampling, (n, step) => steps.Writer.TryWrite((n, step)), timeout.Token);   // refusals (503, 422) before the stream starts
        _ = solving.ContinueWith(_ => steps.Writer.TryComplete(), TaskScheduler.Default);

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(http.RequestAborted);
        var previous = puzzle.Requests()[0].Tokens;
        await foreach (var (number, step) in steps.Reader.ReadAllAsync(http.RequestAborted))
        {
            var changed = Enumerable.Range(0, previous.Length).Where(i => previous[i] != step.Answer[i]).ToArray();
            previous = step.Answer;
            await Event(http, "step", JsonSerializer.Serialize(new { step = number, answer = ServedModel.View(puzzle, step.Answer), changed, halt_probability = step.HaltProbability }, Json));
        }
        try
        {
            var answer = await TimedOut(solving, http, options);
            await Event(http, "result", Result(answer, request, policy, Stopwatch.GetElapsedTime(started)).ToJsonString());
        }
        catch (ProblemException problem)
        {
            await Event(http, "error", JsonSerializer.Serialize(Body(problem, http.Request.Path)));
        }
    }

    static async Task Event(HttpContext http, string name, string data)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    /// <summary>The answer: the kind's solve record (its fields, steps only when asked) with the steps used, why it stopped and the Q head's confidence.</summary>
    static JsonObject Result(ServedAnswer answer, SolveRequest request, Model.HaltingPolicy policy, TimeSpan elapsed)
    {
        var record = answer.Outcome.Record();
        var fields = JsonSerializer.SerializeToNode(record, record.GetType())!.AsObject();
        var first = answer.Solutions[0];
        var result = new JsonObject
        {
            ["kind"] = record.Kind,
            ["solved"] = answer.Outcome.Solved,
            ["problem"] = answer.Outcome.Problem,
            ["steps_used"] = first.StepsUsed,
            ["max_steps"] = policy.MaxSteps,
            ["halt_probability"] = first.HaltProbability,
            ["stopped"] = first.Stopped switch { StopReason.QHead => "q_head", StopReason.StepCap => "step_cap", _ => "fixed_steps" },
            ["seconds"] = Math.Round(elapsed.TotalSeconds, 6),
        };
        foreach (var (name, value) in fields)
            if (name is not ("kind" or "steps" or "steps_used" or "problem") && !(name == "tests" && !request.Steps)) result[name] = value?.DeepClone();
        if (request.Steps && fields["steps"] is { } all) result["steps"] = all.DeepClone();
        if (!request.Steps && fields["tests"] is JsonArray tests)
        {
            // ARC: the attempts, without each test's steps.
            var trimmed = tests.DeepClone().AsArray();
            foreach (var test in trimmed.OfType<JsonObject>()) test.Remove("steps");
            result["tests"] = trimmed;
        }
        return result;
    }

    static IResult Page(string name, string type)
    {
        using var stream = typeof(ServeApp).Assembly.GetManifestResourceStream($"page/{name}") ?? throw new InvalidOperationException($"page/{name} is not embedded");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), type);
    }
}

/// <summary>The body of a solve request, as the OpenAPI document describes it (<see cref="SolveRequest"/> reads it).</summary>
/// <param name="puzzle">The puzzle as text (what trm solve takes), as rows (strings, or for Sudoku lists of digits with 0 blank), or for an ARC model a task object.</param>
/// <param name="task_id">ARC: the task's id, which names its puzzle embeddings.</param>
/// <param name="max_steps">Supervision steps at most (default: the model's halt_max_steps; at most the server's max_steps_limit).</param>
/// <param name="adaptive">Stop when the Q head says done (default true); false runs max_steps.</param>
/// <param name="halt_threshold">The halting probability that counts as done (default 0.99).</param>
/// <param name="steps">Also answer every step's answer and confidence.</param>
/// <param name="trajectories">Test-time compute: runs of the puzzle (K, default 1), each with its own noise; one answer is chosen by select. trajectories x (augment + 1) is at most the server's max_trajectories.</param>
/// <param name="noise">The noise's standard deviation on the latents before every step (default 0: none).</param>
/// <param name="noise_on">Which latents get the noise: z_L (default), z_H or both.</param>
/// <param name="select">How one answer is chosen among the runs: q (the most confident Q head, default), vote, qvote or converged.</param>
/// <param name="augment">Also run this many copies of the puzzle in other frames (Sudoku relabelled and shuffled, mazes turned), answers mapped back (default 0).</param>
/// <param name="seed">The noise's seed (default 0): the same seed gives the same answer.</param>
#pragma warning disable IDE1006 // the JSON's own names
public sealed record SolveRequestSchema(JsonElement puzzle, string? task_id, int? max_steps, bool? adaptive, double? halt_threshold, bool? steps,
    int? trajectories, double? noise, string? noise_on, string? select, int? augment, long? seed);
#pragma warning restore IDE1006
