using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trm.Data;
using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

/// <summary>The ARC-AGI-1 recipe built from the puzzle files in TestData (2 augmentations), checked example by example.</summary>
public class ArcDatasetBuildTests(ArcSharedDataset data) : IClassFixture<ArcSharedDataset>
{
    string[] Identifiers => JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(data.Directory, "identifiers.json")))!;

    [Fact]
    public void ReportsThePuzzleFilesCounts()
    {
        Assert.Equal([("training", 400), ("evaluation", 400), ("concept", 160)], data.Result.PuzzlesPerSubset);
        Assert.Equal(960, data.Result.Puzzles);
        Assert.Equal(419, data.Result.TestPairs);
        Assert.Empty(data.Result.Warnings);
    }

    // SHA-256 of the files the paper's build_arc_dataset.py writes for the same command (seed 42, num_aug 2).
    [Theory]
    [InlineData("train/all__inputs.npy", "52991d73a16ba61b83db5c2d4493d5861442e974a8781961076925a3fe8eb6bf")]
    [InlineData("train/all__labels.npy", "c319856c692b77b0ef729f56946963484825ae7a98bc193ef7485c4bb2d56260")]
    [InlineData("train/all__puzzle_identifiers.npy", "e830a399d90dc2688ce73b2a45c7b0f304cfd4e3de5e668e9e64d0e94c269864")]
    [InlineData("train/all__puzzle_indices.npy", "e29d9c0f7f0dcb527be1395940c82bcc6545ee7cf5a90edaf413af28ddba0c63")]
    [InlineData("train/all__group_indices.npy", "5318f198e89f9e7bce63576406c4a6fe47bb5eb4f61d885df811157bb4331247")]
    [InlineData("test/all__inputs.npy", "b53a9123c72a606767f916f1c6749a2e762a9b3ab0924f27c94b8f305b34bd42")]
    [InlineData("test/all__labels.npy", "3821f10dbbc3056241b7ed1ad5da8184636eaca86cadb322dc8ae8caf66a0927")]
    [InlineData("test/all__puzzle_identifiers.npy", "3eb38b0ae6fcafc497aba26a5b79deea5aee56b2dd731586c68aaa1963eb80b6")]
    [InlineData("test/all__puzzle_indices.npy", "74657f92c55b306f460166161b8d5becc0ddb04caefec70292c9c68e0a1ec4b5")]
    [InlineData("test/all__group_indices.npy", "e27dae114d5a275cb75a919328783fe490eaf8a525c9eb6787ff5a4964c55a6a")]
    public void ArraysAreByteIdenticalToTheReferenceBuilder(string file, string sha256) =>
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(data.Directory, file)))));

    [Fact]
    public void IdentifiersMatchTheReferenceBuilder()
    {
        var names = Identifiers;
        Assert.Equal(2881, names.Length);
        Assert.Equal(["<blank>", "8be77c9e", "8be77c9e|||t7|||0612397845"], names[..3]);
        Assert.Equal("60aca8d8f51174d2824721e02b6eecd5ab3208208062ccbfb45bb2713d550652",
            Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", names)))));
    }

    [Fact]
    public void EveryPuzzleNameHasOneIdentifierSharedByItsTestHalf()
    {
        var names = Identifiers;
        Assert.Equal("<blank>", names[0]);
        Assert.Equal(names.Length, names.Distinct().Count());
        using var train = PuzzleSplit.Open(data.Directory, "train");
        using var test = PuzzleSplit.Open(data.Directory, "test");
        Assert.Equal(names.Length, train.Metadata.NumPuzzleIdentifiers);
        Assert.Equal(names.Length, test.Metadata.NumPuzzleIdentifiers);
        var trainSet = Assert.Single(train.Sets);
        var testSet = Assert.Single(test.Sets);
        // Names are numbered in train order, one puzzle each.
        Assert.Equal(Enumerable.Range(1, names.Length - 1), trainSet.PuzzleIdentifiers);

        // Every test group is a train group's puzzles, same identifiers in the same order.
        var trainGroups = Enumerable.Range(0, trainSet.GroupCount)
            .Select(g => trainSet.PuzzleIdentifiers[trainSet.GroupIndices[g]..trainSet.GroupIndices[g + 1]])
            .ToDictionary(ids => ids[0]);
        Assert.Equal(400, testSet.GroupCount);
        for (int g = 0; g < testSet.GroupCount; g++)
        {
            var ids = testSet.PuzzleIdentifiers[testSet.GroupIndices[g]..testSet.GroupIndices[g + 1]];
            Assert.Equal(trainGroups[ids[0]], ids);
            Assert.Contains(names[ids[0]], data.TestPuzzleIds);
        }
    }

    [Fact]
    public void GroupsHoldOnePuzzleWithItsDistinctAugmentations()
    {
        var names = Identifiers;
        using var train = PuzzleSplit.Open(data.Directory, "train");
        var set = Assert.Single(train.Sets);
        Assert.Equal(960, set.GroupCount);
        Assert.Equal(960 * (1 + ArcSharedDataset.NumAug), set.PuzzleCount);
        for (int g = 0; g < set.GroupCount; g++)
        {
            var parsed = set.PuzzleIdentifiers[set.GroupIndices[g]..set.GroupIndices[g + 1]].Select(id => ArcAugmentation.Parse(names[id])).ToList();
            var original = data.Originals[parsed[0].PuzzleId];
            Assert.Equal(original.Id, names[set.PuzzleIdentifiers[set.GroupIndices[g]]]);  // the original comes first, plain name
            Assert.All(parsed, p => Assert.Equal(original.Id, p.PuzzleId));
            var hashes = parsed.Select(p => ArcPuzzleHash.OfPairs(p.Augmentation.Apply(original).AllPairs)).ToList();
            Assert.Equal(hashes.Count, hashes.Distinct().Count());
        }
    }

    [Fact]
    public void TrainExamplesDecodeAndInvertToTheOriginalPairs()
    {
        var names = Identifiers;
        using var train = PuzzleSplit.Open(data.Directory, "train");
        var set = Assert.Single(train.Sets);
        long translated = 0;
        for (int p = 0; p < set.PuzzleCount; p++)
        {
            var (id, augmentation) = ArcAugmentation.Parse(names[set.PuzzleIdentifiers[p]]);
            var original = data.Originals[id];
            // Test-set puzzles keep only their demonstrations in train/; the others bring their test pairs too.
            var expected = data.TestPuzzleIds.Contains(id) ? original.Train : original.AllPairs.ToList();
            Assert.Equal(expected.Count, set.PuzzleIndices[p + 1] - set.PuzzleIndices[p]);
            bool anyUntranslated = false;
            for (int e = 0; e < expected.Count; e++)
            {
                var (input, label, offset) = ReadTranslated(set, set.PuzzleIndices[p] + e);
                anyUntranslated |= offset == (0, 0);
                translated += offset == (0, 0) ? 0 : 1;
                GridAssert.Equal(expected[e].Input, augmentation.Invert(input), $"{names[set.PuzzleIdentifiers[p]]} example {e} input");
                GridAssert.Equal(expected[e].Output, augmentation.Invert(label), $"{names[set.PuzzleIdentifiers[p]]} example {e} output");
            }
            Assert.True(anyUntranslated, $"puzzle {p} has no untranslated example");
        }
        Assert.True(translated > set.ExampleCount / 2, $"only {translated} of {set.ExampleCount} examples translated");
    }

    [Fact]
    public void TestExamplesAreUntranslatedAndDecodeAsTheEvaluatorCropsThem()
    {
        var names = Identifiers;
        using var test = PuzzleSplit.Open(data.Directory, "test");
        var set = Assert.Single(test.Sets);
        Assert.Equal(419 * (1 + ArcSharedDataset.NumAug), set.ExampleCount);
        int originalPairs = 0;
        var input = new int[ArcCanvas.Length];
        var label = new int[ArcCanvas.Length];
        for (int p = 0; p < set.PuzzleCount; p++)
        {
            var (id, augmentation) = ArcAugmentation.Parse(names[set.PuzzleIdentifiers[p]]);
            var expected = data.Originals[id].Test;
            if (!names[set.PuzzleIdentifiers[p]].Contains(ArcAugmentation.Separator)) originalPairs += expected.Count;
            for (int e = 0; e < expected.Count; e++)
            {
                set.Inputs.CopyRow(set.PuzzleIndices[p] + e, input);
                set.Labels.CopyRow(set.PuzzleIndices[p] + e, label);
                GridAssert.Equal(expected[e].Input, augmentation.Invert(ArcCanvas.Decode<int>(input)), $"{id} test {e} input");
                GridAssert.Equal(expected[e].Output, augmentation.Invert(ArcCanvas.Decode<int>(label)), $"{id} test {e} output");
            }
        }
        Assert.Equal(419, originalPairs);
    }

    [Fact]
    public void TestPuzzlesJsonHoldsTheEvaluationPuzzlesWithSolutions()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(data.Directory, "test_puzzles.json")))!.AsObject();
        Assert.Equal(400, json.Count);
        Assert.True(json.Select(p => p.Key).ToHashSet().SetEquals(data.TestPuzzleIds));
        var solutions = JsonNode.Parse(File.ReadAllText(ArcPuzzleReader.SolutionsPath(ArcSharedDataset.Prefix, "evaluation")))!;
        foreach (var (id, puzzle) in json)
        {
            var test = puzzle!["test"]!.AsArray();
            Assert.Equal(solutions[id]!.AsArray().Count, test.Count);
            for (int i = 0; i < test.Count; i++) Assert.True(JsonNode.DeepEquals(solutions[id]![i], test[i]!["output"]), $"{id} test {i}");
            Assert.Equal(data.Originals[id].Train.Count, puzzle["train"]!.AsArray().Count);
        }

        // The evaluator reads it back with the challenges reader.
        var read = ArcPuzzleReader.ReadChallenges(Path.Combine(data.Directory, "test_puzzles.json"));
        var first = read[0];
        GridAssert.Equal(data.Originals[first.Id].Test[0].Output, first.Test[0].Output, first.Id);
    }

    [Fact]
    public void MetadataIsTheReferenceLayout()
    {
        var train = data.Result.Dataset.Splits["train"];
        Assert.Equal((900, 12, 0, 0, 0), (train.SeqLen, train.VocabSize, train.PadId, train.IgnoreLabelId, train.BlankIdentifierId));
        using var split = PuzzleSplit.Open(data.Directory, "train");
        Assert.Equal(split.Sets[0].ExampleCount / (double)split.Sets[0].PuzzleCount, split.Metadata.MeanPuzzleExamples, 12);
        Assert.Equal(2880, split.Metadata.TotalPuzzles);
    }

    /// <summary>Reads example <paramref name="row"/>, finds the grid's top-left (the first row and column with a token), decodes it there and checks that re-encoding reproduces every token.</summary>
    static (byte[,] Input, byte[,] Label, (int Row, int Column) Offset) ReadTranslated(PuzzleSet set, long row)
    {
        var input = new int[ArcCanvas.Length];
        var label = new int[ArcCanvas.Length];
        set.Inputs.CopyRow(row, input);
        set.Labels.CopyRow(row, label);
        int top = ArcCanvas.Size, left = ArcCanvas.Size;
        for (int i = 0; i < ArcCanvas.Length; i++)
            if (input[i] != 0) (top, left) = (Math.Min(top, i / ArcCanvas.Size), Math.Min(left, i % ArcCanvas.Size));
        var grids = new[] { input, label }.Select(canvas =>
        {
            var shifted = new int[ArcCanvas.Length];
            for (int r = top; r < ArcCanvas.Size; r++)
                canvas.AsSpan(r * ArcCanvas.Size + left, ArcCanvas.Size - left).CopyTo(shifted.AsSpan((r - top) * ArcCanvas.Size));
            var grid = ArcCanvas.Decode<int>(shifted);
            var again = new byte[ArcCanvas.Length];
            ArcCanvas.Encode(grid, top, left, again);
            Assert.True(again.Select(t => (int)t).SequenceEqual(canvas), $"row {row}: re-encoding the decoded grid at ({top}, {left}) changes the canvas");
            return grid;
        }).ToList();
        return (grids[0], grids[1], (top, left));
    }
}
