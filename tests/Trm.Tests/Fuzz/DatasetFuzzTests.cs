using System.Text.Json.Nodes;
using Trm.Data;
using Trm.IO;
using Trm.Tests.Training;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Fuzz;

/// <summary>
/// Datasets wrong as a whole rather than file by file: a field of either split's <c>dataset.json</c> set to an extreme, set
/// names that are paths, arrays swapped between the splits or rewritten with other values but a valid layout. Each is
/// opened as <c>trm train</c> opens it (both splits, the model the training split builds) and a batch of each split goes
/// through the model: every case trains or ends in a <see cref="TrmException"/>.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class DatasetFuzzTests
{
    static readonly string[] Fields = ["pad_id", "ignore_label_id", "blank_identifier_id", "vocab_size", "seq_len", "num_puzzle_identifiers",
        "total_groups", "mean_puzzle_examples", "total_puzzles", "sets"];
    static readonly string[] Arrays = ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"];
    static readonly JsonNode?[] SetNames = [new JsonArray(), new JsonArray("../test/all"), new JsonArray("all", "all"), new JsonArray("a/b"),
        new JsonArray(""), new JsonArray("all", "extra"), new JsonArray((JsonNode?)null), JsonValue.Create("all"), new JsonArray(".."), null];

    [Fact]
    public void DatasetsWrongAsAWholeEndInAMessage()
    {
        using var source = new TempDirectory();
        var dataset = TinyTask.Build(source.File("data"));
        FuzzRunner.Run("dataset as a whole", FuzzRunner.Seeds(120), (random, directory) =>
        {
            var copy = Path.Combine(directory, "data");
            foreach (var file in Directory.GetFiles(dataset, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(dataset, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            Mutate(random, copy);
            return copy;
        }, OpenAndStep);
    }

    static void Mutate(Random random, string data)
    {
        int changes = 1 + random.Next(2);
        for (int c = 0; c < changes; c++)
        {
            var split = random.Next(2) == 0 ? "train" : "test";
            var json = Path.Combine(data, split, "dataset.json");
            switch (random.Next(5))
            {
                case 0:
                    var field = Fields[random.Next(Fields.Length)];
                    Edit(json, m => m[field] = random.Next(5) switch
                    {
                        0 => null,
                        1 => JsonValue.Create(-1),
                        2 => random.Next(2) == 0 ? JsonValue.Create(1e300) : JsonValue.Create("NaN"),
                        _ => JsonValue.Create(Mutations.Number(random)),
                    });
                    break;
                case 1:
                    Edit(json, m => m["sets"] = SetNames[random.Next(SetNames.Length)]?.DeepClone());
                    break;
                case 2:   // the other split's array: another count of examples, puzzles or groups
                    var array = Arrays[random.Next(Arrays.Length)];
                    var other = split == "train" ? "test" : "train";
                    File.Copy(Path.Combine(data, other, $"all__{array}.npy"), Path.Combine(data, split, $"all__{array}.npy"), overwrite: true);
                    break;
                case 3:   // the same shape and dtype, other values
                    var path = Path.Combine(data, split, $"all__{Arrays[random.Next(Arrays.Length)]}.npy");
                    using (var stream = File.OpenRead(path))
                    using (var original = NpyFormat.Read(stream, path))
                    using (var changed = original.to(ScalarType.Int64).clone())
                    {
                        long at = random.NextInt64(changed.numel());
                        changed.view(-1)[at] = tensor(Mutations.Number(random));
                        using var written = changed.to(original.dtype);
                        using var output = File.Create(path + ".new");
                        NpyFormat.Write(output, written);
                    }
                    File.Move(path + ".new", path, overwrite: true);
                    break;
                default:
                    Edit(json, m => Mutations.Json(random, m));
                    break;
            }
        }
    }

    static void Edit(string json, Action<JsonNode> change)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(json));
        }
        catch (System.Text.Json.JsonException)
        {
            return;   // an earlier change of this case made it no JSON (or nested too deep for an edit): it stays so
        }
        if (node is null) return;
        change(node);
        File.WriteAllText(json, node.ToJsonString());
    }

    /// <summary>What <c>trm train</c> does with a dataset before and at its first step, and what an evaluation does with a test batch.</summary>
    static void OpenAndStep(string data)
    {
        var run = Path.Combine(Path.GetDirectoryName(data)!, "run");
        var config = TinyTask.Config(data, run, epochs: 1, evalInterval: 1);
        using var trainer = new Trainer(config, run);
        foreach (var split in new[] { "train", "test" })
        {
            using var opened = PuzzleSplit.Open(data, split);
            var loader = new PuzzleBatchLoader(opened, new LoaderOptions(16, 0, 1));
            using var loaded = split == "train" ? loader.TrainIteration(0).FirstOrDefault() : loader.Test().LastOrDefault();   // the last is padded
            if (loaded is null) continue;   // fewer examples than a batch: no training batch, as the reference's sampler
            using var scope = NewDisposeScope();
            trainer.Model.Forward(trainer.Model.InitialCarry(loaded.Batch), loaded.Batch);
        }
    }
}
