using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Trm.Serving;
using Trm.Tests.Cli;

namespace Trm.Tests.Serving;

/// <summary>A tiny model trained on 4x4 Sudoku in seconds (<see cref="SolveCliTests.TinyCheckpoint"/>), loaded once to serve.</summary>
public sealed class ServeFixture : IDisposable
{
    public SolveCliTests.TinyCheckpoint Checkpoint { get; } = new();
    public ServedModel Served { get; }

    public ServeFixture() => Served = ServedModel.Load(Options());

    public ServeOptions Options() => new() { Checkpoint = Checkpoint.Path };

    /// <summary>The service in process (ASP.NET's test server), started; dispose it before starting another (one worker owns the model).</summary>
    public async Task<WebApplication> Start(ServeOptions options)
    {
        var app = ServeApp.Build(options.Checked(), Served, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return app;
    }

    public void Dispose()
    {
        Served.Dispose();
        Checkpoint.Dispose();
    }
}
