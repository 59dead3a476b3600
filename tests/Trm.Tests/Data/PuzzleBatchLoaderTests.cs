using Trm.Data;

namespace Trm.Tests.Data;

public class PuzzleBatchLoaderTests : IDisposable
{
    // 10 groups; group g has 1 + g % 3 puzzles; puzzle k of group g has 1 + (g + k) % 3 examples.
    // An example's input is [g + 1, k + 1, e + 1, 10]: it names its group, puzzle and example. Its
    // label is the same with the last token 0 (the ignore id). Puzzle identifiers run 1, 2, ...
    const int Groups = 10, SeqLen = 4;
    readonly TempDirectory dir = new();
    readonly PuzzleSplit split;

    public PuzzleBatchLoaderTests()
    {
        split = PuzzleSplit.Open(Build(dir.File("data")), "train");
    }

    public void Dispose()
    {
        split.Dispose();
        dir.Dispose();
    }

    static string Build(string path)
    {
        using var writer = new DatasetWriter(path);
        var train = writer.BeginSplit("train", new DatasetMetadata { VocabSize = 11, SeqLen = SeqLen, NumPuzzleIdentifiers = 30, IgnoreLabelId = 0 });
        int identifier = 1;
        for (int g = 0; g < Groups; g++)
        {
            for (int k = 0; k < 1 + g % 3; k++)
            {
                for (int e = 0; e < 1 + (g + k) % 3; e++)
                    train.AddExample([(byte)(g + 1), (byte)(k + 1), (byte)(e + 1), 10], [(byte)(g + 1), (byte)(k + 1), (byte)(e + 1), 0]);
                train.EndPuzzle(identifier++);
            }
            train.EndGroup();
        }
        writer.Commit();
        return path;
    }

    static List<int[]> Rows(LoadedBatch batch) => batch.Batch.Inputs.data<int>().ToArray().Chunk(SeqLen).ToList();

    List<List<int[]>> Iteration(PuzzleBatchLoader loader, int iteration, int skip = 0) =>
        loader.TrainIteration(iteration, skip).Select(b => { using (b) return Rows(b); }).ToList();

    [Fact]
    public void EveryGroupOncePerEpochAndBatchesFull()
    {
        // One example per group and a batch size that divides the groups exactly: nothing is dropped.
        var loader = new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 1, Seed: 3, EpochsPerIteration: 2));
        var batches = Iteration(loader, 0);
        Assert.Equal(2 * Groups, batches.Count);
        Assert.All(batches, b => Assert.Single(b));
        var groups = batches.Select(b => b[0][0] - 1).ToList();
        Assert.Equal(Enumerable.Range(0, Groups), groups.Take(Groups).Order());
        Assert.Equal(Enumerable.Range(0, Groups), groups.Skip(Groups).Order());
    }

    [Fact]
    public void AGroupGivesOnePuzzleWithDistinctExamplesAndTheLastPartialBatchIsDropped()
    {
        var loader = new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 4, Seed: 5));
        var batches = Iteration(loader, 0);
        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.Equal(4, b.Count));
        var examples = batches.SelectMany(b => b).ToList();
        Assert.Equal(examples.Count, examples.Select(r => (r[0], r[1], r[2])).Distinct().Count());
        // A group appears at most once per epoch, so all rows of a group come from one puzzle.
        foreach (var group in examples.GroupBy(r => r[0]))
            Assert.Single(group.Select(r => r[1]).Distinct());
        Assert.True(examples.Select(r => r[0]).Distinct().Count() < Groups, "the partial last batch should be dropped");
    }

    [Fact]
    public void SameSeedSameBatchesOtherSeedOrIterationOthers()
    {
        var options = new LoaderOptions(GlobalBatchSize: 3, Seed: 11);
        var first = Iteration(new PuzzleBatchLoader(split, options), 0);
        var again = Iteration(new PuzzleBatchLoader(split, options), 0);
        var otherSeed = Iteration(new PuzzleBatchLoader(split, options with { Seed = 12 }), 0);
        var nextIteration = Iteration(new PuzzleBatchLoader(split, options), 1);
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, nextIteration);
    }

    [Fact]
    public void SkippingResumesWhereARunStopped()
    {
        var loader = new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 2, Seed: 1));
        var all = Iteration(loader, 4);
        Assert.Equal(all.Skip(3), Iteration(loader, 4, skip: 3));
    }

    [Fact]
    public void LabelsMapIgnoreToMinus100AndPuzzleIdentifiersFollowTheRows()
    {
        var loader = new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 4, Seed: 2));
        using var batch = loader.TrainIteration(0).First();
        var inputs = Rows(batch);
        var labels = batch.Batch.Labels.data<int>().ToArray().Chunk(SeqLen).ToList();
        var identifiers = batch.Batch.PuzzleIdentifiers.data<int>().ToArray();
        for (int row = 0; row < 4; row++)
        {
            Assert.Equal([.. inputs[row][..3], PuzzleBatchLoader.IgnoreLabel], labels[row]);
            int g = inputs[row][0] - 1, k = inputs[row][1] - 1;
            int expectedIdentifier = 1 + Enumerable.Range(0, g).Sum(h => 1 + h % 3) + k;
            Assert.Equal(expectedIdentifier, identifiers[row]);
        }
    }

    [Fact]
    public void RanksSplitEachGlobalBatch()
    {
        var whole = Iteration(new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 4, Seed: 9)), 0);
        var rank0 = Iteration(new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 4, Seed: 9, Rank: 0, WorldSize: 2)), 0);
        var rank1 = Iteration(new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 4, Seed: 9, Rank: 1, WorldSize: 2)), 0);
        Assert.Equal(whole, rank0.Zip(rank1, (a, b) => a.Concat(b).ToList()).ToList());
    }

    [Fact]
    public void TestIterationCoversEveryExampleInOrderAndPadsTheLastBatch()
    {
        var set = split.Sets[0];
        var loader = new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 8, Seed: 0));
        var batches = loader.Test().ToList();
        try
        {
            Assert.Equal((int)Math.Ceiling(set.ExampleCount / 8.0), batches.Count);
            Assert.Equal(set.ExampleCount, batches.Sum(b => b.EffectiveSize));
            var rows = batches.SelectMany(Rows).ToList();
            var expected = new int[SeqLen];
            for (int i = 0; i < set.ExampleCount; i++)
            {
                set.Inputs.CopyRow(i, expected);
                Assert.Equal(expected, rows[i]);
            }
            var last = batches[^1];
            int padded = 8 - last.EffectiveSize;
            Assert.True(padded > 0);
            Assert.All(Rows(last)[last.EffectiveSize..], r => Assert.Equal(new int[SeqLen], r));
            Assert.All(last.Batch.Labels.data<int>().ToArray()[(last.EffectiveSize * SeqLen)..], l => Assert.Equal(PuzzleBatchLoader.IgnoreLabel, l));
            Assert.All(last.Batch.PuzzleIdentifiers.data<int>().ToArray()[last.EffectiveSize..], id => Assert.Equal(0, id));
            // Every example carries its own puzzle's identifier.
            var identifiers = batches.SelectMany(b => b.Batch.PuzzleIdentifiers.data<int>().ToArray()[..b.EffectiveSize]).ToArray();
            for (int p = 0; p < set.PuzzleCount; p++)
                for (int e = set.PuzzleIndices[p]; e < set.PuzzleIndices[p + 1]; e++)
                    Assert.Equal(set.PuzzleIdentifiers[p], identifiers[e]);
        }
        finally
        {
            foreach (var b in batches) b.Dispose();
        }
    }

    [Fact]
    public void CombinedDirectoriesAreIteratedSetBySet()
    {
        using var other = new TempDirectory();
        using var both = PuzzleSplit.Open([dir.File("data"), Build(other.File("data"))], "train");
        var loader = new PuzzleBatchLoader(both, new LoaderOptions(GlobalBatchSize: 1, Seed: 0));
        var sets = loader.TrainIteration(0).Select(b => { using (b) return b.SetName; }).ToList();
        Assert.Equal([.. Enumerable.Repeat("all", Groups), .. Enumerable.Repeat("all1", Groups)], sets);
    }

    [Fact]
    public void ABatchTooLargeForOneArrayIsRefusedBeforeAnyIsAllocated()
    {
        // trm eval --batch-size 1000000000 once overflowed (OverflowException, a "bug") when the first batch was collated.
        var error = Assert.Throws<TrmException>(() => new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 1_000_000_000, Seed: 0)));
        Assert.Equal("global_batch_size 1000000000 x seq_len 4 is 4,000,000,000 tokens a batch, more than one batch can hold (2,147,483,591); lower the batch size.", error.Message);
    }

    [Fact]
    public void BatchSizeMustSplitAcrossRanks()
    {
        var error = Assert.Throws<TrmException>(() => new PuzzleBatchLoader(split, new LoaderOptions(GlobalBatchSize: 5, Seed: 0, WorldSize: 2)));
        Assert.Contains("global_batch_size 5 must be a multiple of the world size 2", error.Message);
    }
}
