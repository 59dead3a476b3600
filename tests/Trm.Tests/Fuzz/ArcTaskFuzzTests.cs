using System.Text;
using System.Text.Json.Nodes;
using Trm.Puzzles.Arc;

namespace Trm.Tests.Fuzz;

/// <summary>A real ARC task (the first of the public training set) with grids, rows, colours and pairs changed, read as <c>trm solve arc</c> reads one.</summary>
public class ArcTaskFuzzTests
{
    [Fact]
    public void MutatedTasksEndInAMessage()
    {
        var challenges = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Arc, "arc-agi_training_challenges.json")))!.AsObject();
        var task = challenges.First().Value!.ToJsonString();
        FuzzRunner.Run("task.json", FuzzRunner.Seeds(200), random => random.Next(5) == 0
                ? Mutations.Bytes(random, Encoding.UTF8.GetBytes(task))
                : Encoding.UTF8.GetBytes(Mutations.Json(random, JsonNode.Parse(task))?.ToJsonString() ?? "null"),
            path =>
            {
                var read = ArcPuzzleReader.ReadTask(path);
                foreach (var pair in read.Puzzle.Test) ArcCanvas.Encode(pair.Input, 0, 0, new byte[ArcCanvas.Length]);
            });
    }
}
