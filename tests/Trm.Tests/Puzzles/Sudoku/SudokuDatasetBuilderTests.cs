using System.Text.Json.Nodes;
using Trm.Data;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Puzzles.Sudoku;

public class SudokuDatasetBuilderTests
{
    static SudokuSplits Generated(int size = 4, int train = 6, int test = 3, int seed = 1) =>
        SudokuGenerator.Generate(new SudokuGenerationOptions { Size = size, Train = train, Test = test, Seed = seed });

    static int[] Row(TokenMatrix matrix, long row)
    {
        var tokens = new int[matrix.Columns];
        matrix.CopyRow(row, tokens);
        return tokens;
    }

    static SudokuGrid Decode(SudokuGeometry geometry, int[] tokens) => new(geometry, tokens.Select(t => (byte)(t - 1)).ToArray());

    [Fact]
    public void WritesGroupsOfAnOriginalAndItsAugmentations()
    {
        using var dir = new TempDirectory();
        var splits = Generated();
        SudokuCsv.WriteDirectory(dir.File("csv"), splits);
        var progress = new List<BuildProgress>();
        var summary = SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("data"), new SudokuDatasetOptions { NumAug = 2 }, new SyncProgress(progress.Add));

        Assert.Equal(18, summary.Splits["train"].TotalPuzzles);
        Assert.Equal(new BuildProgress("train puzzles", 6, 6), progress.Last(p => p.Stage == "train puzzles"));
        Assert.Equal(new BuildProgress("test puzzles", 3, 3), progress[^1]);
        Assert.Equal("<blank>", (string)Assert.Single(JsonNode.Parse(File.ReadAllText(dir.File("data/identifiers.json")))!.AsArray())!);
        var json = JsonNode.Parse(File.ReadAllText(dir.File("data/train/dataset.json")))!;
        Assert.Equal(6, (int)json["vocab_size"]!);
        Assert.Equal(16, (int)json["seq_len"]!);
        Assert.Equal(0, (int)json["ignore_label_id"]!);
        Assert.Equal(1, (int)json["num_puzzle_identifiers"]!);

        using var train = PuzzleSplit.Open(dir.File("data"), "train");
        var set = Assert.Single(train.Sets);
        Assert.Equal([0, 3, 6, 9, 12, 15, 18], set.GroupIndices);
        Assert.Equal(Enumerable.Range(0, 19), set.PuzzleIndices);
        Assert.All(set.PuzzleIdentifiers, id => Assert.Equal(0, id));

        // The first puzzle of each group is the original, tokens digit + 1 (blank 1); the others are valid shuffles of it.
        var first = Row(set.Inputs, 0);
        Assert.Equal(splits.Train[0].Question.Cells.ToArray().Select(d => d + 1), first);
        Assert.Equal(splits.Train[0].Answer.Cells.ToArray().Select(d => d + 1), Row(set.Labels, 0));
        for (int group = 0; group < 6; group++)
        {
            var original = splits.Train[group];
            Assert.Equal(original.Question, Decode(SudokuGeometry.Four, Row(set.Inputs, 3 * group)));
            for (int example = 3 * group; example < 3 * group + 3; example++)
            {
                var question = Decode(SudokuGeometry.Four, Row(set.Inputs, example));
                var answer = Decode(SudokuGeometry.Four, Row(set.Labels, example));
                Assert.True(SudokuValidator.Solves(question, answer));
                Assert.True(SudokuEquivalence.AreEquivalent(original.Question, question));
            }
        }

        using var test = PuzzleSplit.Open(dir.File("data"), "test");
        Assert.Equal([0, 1, 2, 3], test.Sets[0].GroupIndices);
        Assert.Equal(splits.Test[2].Question, Decode(SudokuGeometry.Four, Row(test.Sets[0].Inputs, 2)));
    }

    [Fact]
    public void FiltersByDifficultyAndSubsamplesTrainOnly()
    {
        using var dir = new TempDirectory();
        var splits = Generated(size: 9, train: 40, test: 20, seed: 3);
        int hardTrain = splits.Train.Count(p => p.Rating >= 1), hardTest = splits.Test.Count(p => p.Rating >= 1);
        Assert.InRange(hardTrain, 6, 39);  // the filter has something to do
        SudokuCsv.WriteDirectory(dir.File("csv"), splits);

        var filtered = SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("hard"), new SudokuDatasetOptions { MinDifficulty = 1 });
        Assert.Equal(hardTrain, filtered.Splits["train"].TotalGroups);
        Assert.Equal(hardTest, filtered.Splits["test"].TotalGroups);

        var sampled = SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("sampled"), new SudokuDatasetOptions { SubsampleSize = 5, Seed = 9 });
        Assert.Equal(5, sampled.Splits["train"].TotalGroups);
        Assert.Equal(20, sampled.Splits["test"].TotalGroups);
        using var split = PuzzleSplit.Open(dir.File("sampled"), "train");
        var questions = Enumerable.Range(0, 5).Select(i => Decode(SudokuGeometry.Nine, Row(split.Sets[0].Inputs, i))).ToList();
        Assert.All(questions, q => Assert.Contains(q, splits.Train.Select(p => p.Question)));
        Assert.Equal(5, questions.Distinct().Count());
    }

    [Fact]
    public void SameSeedSameBytes()
    {
        using var dir = new TempDirectory();
        SudokuCsv.WriteDirectory(dir.File("csv"), Generated(size: 6));
        foreach (var name in new[] { "a", "b" })
            SudokuDatasetBuilder.Build(dir.File("csv"), dir.File(name), new SudokuDatasetOptions { NumAug = 3, SubsampleSize = 4, Seed = 5 });
        SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("c"), new SudokuDatasetOptions { NumAug = 3, SubsampleSize = 4, Seed = 6 });
        Assert.Equal(File.ReadAllBytes(dir.File("a/train/all__inputs.npy")), File.ReadAllBytes(dir.File("b/train/all__inputs.npy")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a/train/all__inputs.npy")), File.ReadAllBytes(dir.File("c/train/all__inputs.npy")));
    }

    [Fact]
    public void BuildsStraightFromGeneratedPuzzles()
    {
        using var dir = new TempDirectory();
        var summary = SudokuDatasetBuilder.Build(Generated(size: 9, train: 4, test: 2), dir.File("data"), new SudokuDatasetOptions { NumAug = 1 });
        Assert.Equal(8, summary.Splits["train"].TotalPuzzles);
        Assert.Equal(11, summary.Splits["train"].VocabSize);
        Assert.Equal(81, summary.Splits["test"].SeqLen);
    }

    [Fact]
    public void SplitsOfDifferentSizesAreRefusedAndNothingIsWritten()
    {
        using var dir = new TempDirectory();
        SudokuCsv.WriteDirectory(dir.File("csv"), new SudokuSplits(Generated(size: 9, train: 2, test: 1).Train, Generated(size: 4, train: 1, test: 1).Test));
        var error = Assert.Throws<TrmException>(() => SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("data"), new SudokuDatasetOptions()));
        Assert.Equal($"{dir.File("csv/test.csv")} holds 4x4 puzzles but {dir.File("csv/train.csv")} holds 9x9; both splits must have one size.", error.Message);
        Assert.Equal(["csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ABadLineLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        SudokuCsv.WriteDirectory(dir.File("csv"), Generated());
        File.AppendAllText(dir.File("csv/test.csv"), "x,1.3..4.2.1..4...,1234341221434321,0,extra\n");
        var error = Assert.Throws<TrmException>(() => SudokuDatasetBuilder.Build(dir.File("csv"), dir.File("data"), new SudokuDatasetOptions()));
        Assert.Equal($"{dir.File("csv/test.csv")}:5: expected 4 fields (source,question,answer,rating), found 5.", error.Message);
        Assert.Equal(["csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress(Action<BuildProgress> report) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value) => report(value);
    }
}
