using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Trm.Evaluation;
using Trm.Inference;
using Trm.Puzzles.Arc;
using Trm.Serving;
using Trm.Solving;
using Trm.Tests.Inference;
using Trm.Tests.Training;

namespace Trm.Tests.Serving;

/// <summary>An ARC model served: a task it has puzzle embeddings for is answered as <c>trm solve arc</c> answers it; a new task is refused.</summary>
[Collection(nameof(SequentialTraining))]
public class ServeArcTests(TinyArcModel trained) : IClassFixture<TinyArcModel>
{
    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AKnownTaskGetsTheLibrarysAttemptsAndANewTaskPointsToAdaptation()
    {
        var checkpoint = trained.Checkpoints[^1];
        var puzzle = ArcPuzzleReader.ReadChallenges(Path.Combine(trained.Data, ArcEvaluator.TestPuzzlesFile)).Single();
        var taskJson = TinyArc.Task(3);   // e1's file, as the dataset was built from it
        ArcTaskAnswer expected;
        using (var model = TrmModel.Load(checkpoint))
            expected = ArcSolver.Solve(model, new ArcTask(puzzle, [.. puzzle.Test.Select(t => t.Output)]),
                ArcCopy.Among(ArcEvaluator.ReadIdentifiers(trained.Data, "test"), "e1"));

        var options = new ServeOptions { Checkpoint = checkpoint, Data = trained.Data };
        using var served = ServedModel.Load(options);
        Assert.Equal(ArcKind.Name, served.Kind.Name);
        await using var app = ServeApp.Build(options.Checked(), served, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        var client = app.GetTestClient();

        var response = await client.PostAsync("/v1/solve", Json($$"""{"puzzle": {{taskJson}}, "task_id": "e1"}"""));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("arc", body.GetProperty("kind").GetString());
        var test = Assert.Single(body.GetProperty("tests").EnumerateArray());
        Assert.Equal(Grid(expected.Tests[0].Attempts[0]), test.GetProperty("attempt_1").GetRawText());
        Assert.Equal(Grid(expected.Tests[0].Attempts[1]), test.GetProperty("attempt_2").GetRawText());
        Assert.True(body.GetProperty("solved").GetBoolean());   // the trained identity, as ArcSolveTests shows in process

        // The stream ends with the same result.
        var stream = await client.PostAsync("/v1/solve/stream", Json($$"""{"puzzle": {{taskJson}}, "task_id": "e1"}"""));
        var events = await stream.Content.ReadAsStringAsync();
        Assert.Contains("event: step", events);
        var result = events.Split("\n\n").Single(e => e.StartsWith("event: result"));
        var streamed = JsonDocument.Parse(result[(result.IndexOf("data: ") + 6)..]).RootElement;
        Assert.Equal(Grid(expected.Tests[0].Attempts[0]), streamed.GetProperty("tests")[0].GetProperty("attempt_1").GetRawText());

        // A task the model has no puzzle embeddings for: 422 on task_id, pointing to test-time training.
        response = await client.PostAsync("/v1/solve", Json($$"""{"puzzle": {{TinyArc.Task(9)}}, "task_id": "n9"}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("task_id", problem.GetProperty("field").GetString());
        Assert.Contains("--adapt", problem.GetProperty("detail").GetString());

        // A grid as rows is not an ARC task.
        response = await client.PostAsync("/v1/solve", Json("""{"puzzle": [[1,2],[3,4]]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    static string Grid(byte[,] grid) => JsonSerializer.Serialize(Enumerable.Range(0, grid.GetLength(0))
        .Select(r => Enumerable.Range(0, grid.GetLength(1)).Select(c => (int)grid[r, c]).ToArray()));
}
