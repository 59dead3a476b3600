using System.Text.Json.Nodes;
using Trm.Data;
using Trm.Tests.Training;
using Trm.Training;

namespace Trm.Tests.Data;

/// <summary>
/// A dataset is checked as a whole when it opens: <c>dataset.json</c>'s fields, every array against the others and against
/// it, and a test split against the model the training split builds. One refusal lists every problem, each by file and field.
/// </summary>
public class DatasetAsAWholeTests
{
    static void Edit(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(json))!;
        change(node);
        File.WriteAllText(json, node.ToJsonString());
    }

    [Fact]
    public void EveryProblemOfDatasetJsonIsListedByField()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var json = Path.Combine(data, "train", "dataset.json");
        Edit(json, m =>
        {
            m["pad_id"] = 99;
            m["ignore_label_id"] = -1;
            m["blank_identifier_id"] = 1;
            m["sets"] = new JsonArray("all", "../all", null);
        });

        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(data, "train"));
        Assert.StartsWith("5 problems with the dataset: ", error.Message);
        foreach (var problem in new[]
        {
            $"{json}: pad_id 99 is outside the vocabulary [0, 6)", $"{json}: ignore_label_id -1 is outside the vocabulary [0, 6)",
            $"{json}: blank_identifier_id 1 is outside the identifiers [0, 1)", $"{json}: sets holds '../all', not a plain name", $"{json}: sets holds null",
        })
            Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ArraysAreCheckedAgainstEachOtherAndDatasetJson()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var json = Path.Combine(data, "train", "dataset.json");
        // Tokens 2..5 in a vocabulary of 4, and totals that are not the arrays' (they set the number of training steps).
        Edit(json, m =>
        {
            m["vocab_size"] = 4;
            m["total_groups"] = 1_000_000;
            m["mean_puzzle_examples"] = 7.5;
        });

        var error = Assert.Throws<TrmException>(() => PuzzleSplit.Open(data, "train"));
        Assert.Contains($"set 'all': inputs hold tokens 2 to 5, outside the vocabulary [0, vocab_size 4); labels hold tokens 2 to 5", error.Message);
        Assert.Contains($"{json}: total_groups is 1000000, the sets hold 200 groups", error.Message);
        Assert.Contains($"{json}: mean_puzzle_examples is 7.5, the sets hold 200 examples of 200 puzzles (1)", error.Message);
        Assert.EndsWith("Rebuild it with a dataset builder, ours or the reference's.", error.Message);

        using var intact = PuzzleSplit.Open(TinyTask.Build(dir.File("intact")), "train");
        Assert.Equal(200, intact.Sets[0].ExampleCount);
    }

    [Fact]
    public void ATestSplitThatDoesNotFitTheTrainedModelIsRefused()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        Edit(Path.Combine(data, "test", "dataset.json"), m => m["num_puzzle_identifiers"] = 3);   // the training data builds an embedding for 1

        var error = Assert.Throws<TrmException>(() => new Trainer(TinyTask.Config(data, dir.File("run")), dir.File("run")));
        Assert.Equal($"the test split of {data} does not fit the model built for the training data: num_puzzle_identifiers 3 (the training data's is 1). " +
            "Evaluate on a dataset built like the training data (data_paths_test).", error.Message);
        Assert.False(Directory.Exists(dir.File("run")));
    }
}
