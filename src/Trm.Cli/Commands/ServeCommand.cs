using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Trm.Serving;

namespace Trm.Cli.Commands;

/// <summary>
/// <c>trm serve --checkpoint DIR [--ema] [--urls URL] [--slots N] [--queue N] [--api-key KEY]</c>: one loaded model as a web
/// service and a web page, continuous batching across callers; SIGTERM or Ctrl+C finishes what is in flight and exits 0.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint directory (ours: step_N of a trm train run)", Required = true };
        var ema = new Option<bool>("--ema") { Description = "Use the EMA weights (ema.pt)" };
        var weights = new Option<FileInfo?>("--weights") { Description = "Weights file to use instead of the directory's own (.pt, step_N or .safetensors)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var kind = new Option<string?>("--kind") { Description = "The puzzle kind the model solves: sudoku, maze or arc (default: told from the checkpoint)" };
        var data = new Option<DirectoryInfo?>("--data") { Description = "ARC: the dataset the model was trained on (its identifiers.json); default: the checkpoint's data_paths" };
        var urls = new Option<string[]>("--urls")
        {
            Description = $"Where to listen (default {ServeOptions.DefaultUrl}: this machine only); another address exposes the service",
            AllowMultipleArgumentsPerToken = true,
        };
        var slots = new Option<int>("--slots") { Description = "Batch slots: requests the model runs at once", DefaultValueFactory = _ => 64 }.Within("Slots");
        var queue = new Option<int>("--queue") { Description = "Requests that may wait for a slot; more get 503 with Retry-After", DefaultValueFactory = _ => 256 }.Within("Queue");
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key on /v1 and /metrics (Authorization: Bearer KEY or X-Api-Key); default: $TRM_API_KEY, else none" };
        var maxSteps = new Option<int?>("--max-steps-limit") { Description = "Most supervision steps a request may ask for (default: 4 x halt_max_steps, at most 256)" }.Within("MaxStepsLimit");
        var maxTrajectories = new Option<int>("--max-trajectories") { Description = "Most runs a request's test-time compute may ask for: trajectories x (augment + 1)", DefaultValueFactory = _ => 16 }.Within("MaxTrajectories");
        var timeout = new Option<double>("--timeout") { Description = "Seconds a request may wait and run before it gets 504 and its slot is freed", DefaultValueFactory = _ => 30 }.Within("RequestTimeout");
        var grace = new Option<double>("--grace") { Description = "Seconds requests in flight may take to finish after SIGTERM", DefaultValueFactory = _ => 10 }.Within("Grace");
        var threads = new Option<int>("--threads") { Description = "libtorch's intra-op threads for every step (default 0: one thread for a step of a single request when measured faster at start, all cores otherwise)" }.Within("Threads");
        var cors = new Option<string[]>("--cors") { Description = "Origins whose pages may call the API (CORS is off without it)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("serve", "Serve a trained model: a JSON API under /v1 (solve, solve as server-sent events), a web page at /, /healthz, /readyz, /metrics and an OpenAPI page at /scalar.")
        {
            checkpoint, ema, weights, device, kind, data, urls, slots, queue, apiKey, maxSteps, maxTrajectories, timeout, grace, threads, cors,
        };
        var flags = CommandRunner.Flags((nameof(ServeOptions.Slots), slots), (nameof(ServeOptions.Queue), queue), (nameof(ServeOptions.ApiKey), apiKey),
            (nameof(ServeOptions.MaxStepsLimit), maxSteps), (nameof(ServeOptions.MaxTrajectories), maxTrajectories), (nameof(ServeOptions.RequestTimeout), timeout), (nameof(ServeOptions.Grace), grace), (nameof(ServeOptions.Threads), threads),
            (nameof(ServeOptions.Urls), urls), (nameof(ServeOptions.CorsOrigins), cors), (nameof(ServeOptions.Kind), kind), ("dataDirectory", data));
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new ServeOptions
            {
                Checkpoint = parse.GetValue(checkpoint)!.FullName,
                Ema = parse.GetValue(ema),
                Weights = parse.GetValue(weights)?.FullName,
                Device = parse.GetValue(device)!,
                Kind = parse.GetValue(kind),
                Data = parse.GetValue(data)?.FullName,
                Urls = parse.GetValue(urls) is { Length: > 0 } given ? given : [ServeOptions.DefaultUrl],
                Slots = parse.GetValue(slots),
                Queue = parse.GetValue(queue),
                ApiKey = parse.GetValue(apiKey) ?? Trm.Limits.UserLimits.FromEnvironment("TRM_API_KEY"),
                MaxStepsLimit = parse.GetValue(maxSteps),
                MaxTrajectories = parse.GetValue(maxTrajectories),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Grace = TimeSpan.FromSeconds(parse.GetValue(grace)),
                Threads = parse.GetValue(threads),
                CorsOrigins = parse.GetValue(cors) ?? [],
            }.Checked();
            return Execute(options, Console.Out, Console.Error);
        }, flags));
        return command;
    }

    static int Execute(ServeOptions options, TextWriter output, TextWriter errors)
    {
        using var served = ServedModel.Load(options);
        var app = ServeApp.Build(options, served);
        foreach (var url in options.ExposedUrls())
            if (options.ApiKey is null)
                errors.WriteLine($"warning: {url} exposes the service beyond this machine without --api-key; anyone who reaches it can use the model.");
        output.WriteLine($"model: {served.Kind.Name}, {served.SeqLen} tokens, {served.Model.ParameterCount:N0} parameters ({served.Model.WeightsFile}); " +
            $"{options.Slots} slots, queue {options.Queue}{(options.ApiKey is null ? "" : ", API key required")}");
        output.WriteLine($"serving on {string.Join(", ", options.Urls)}: the page at /, the API at /v1 (OpenAPI page at /scalar); Ctrl+C or SIGTERM stops");
        app.Run();
        output.WriteLine("stopped");
        return 0;
    }
}
