using System.Text.Json;
using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.Data;
using Trm.Evaluation;
using Trm.Puzzles.Arc;
using Trm.Tests.Puzzles.Arc;

namespace Trm.Tests.Evaluation;

/// <summary>
/// The ARC evaluator on a hand-made dataset directory: puzzle p1 has one test input (2x3 -> 3x2), p2 has two; the
/// identifiers name p1, an augmented copy of p1 (rotated by 90 degrees and recoloured), p2, and a training-only puzzle.
/// </summary>
public class ArcEvaluatorTests
{
    static readonly byte[,] P1Input = GridAssert.Of([1, 2, 3], [4, 5, 6]), P1Output = GridAssert.Of([7, 8], [9, 1], [2, 3]);
    static readonly byte[,] P2Input0 = GridAssert.Of([1]), P2Output0 = GridAssert.Of([2, 2]);
    static readonly byte[,] P2Input1 = GridAssert.Of([3, 3], [0, 3]), P2Output1 = GridAssert.Of([4]);
    static readonly byte[,] Wrong = GridAssert.Of([0]), Wrong2 = GridAssert.Of([5, 5]);

    static readonly ArcAugmentation Rotated = new(1, [0, 3, 1, 2, 9, 8, 7, 6, 5, 4]);
    const int P1 = 1, P1Rotated = 2, P2 = 3, TrainOnly = 4;

    sealed record Row(int Identifier, int[] Input, int[] Prediction, float QHalt = 0);

    static int[] Canvas(byte[,] grid)
    {
        var canvas = new byte[ArcCanvas.Length];
        ArcCanvas.Encode(grid, 0, 0, canvas);
        return [.. canvas.Select(t => (int)t)];
    }

    static Row Predict(int identifier, byte[,] input, byte[,] prediction, float qHalt = 0) => new(identifier, Canvas(input), Canvas(prediction), qHalt);

    static BatchPredictions Batch(params Row[] rows) =>
        new("all", [.. rows.Select(r => r.Identifier)], [.. rows.Select(r => r.Input)], [.. rows.Select(_ => Array.Empty<int>())],
            [.. rows.Select(r => r.Prediction)], [.. rows.Select(r => r.QHalt)]);

    static string WriteDataset(TempDirectory directory)
    {
        ArcPair[] train = [new(GridAssert.Of([1]), GridAssert.Of([2]))];
        var puzzles = new Dictionary<string, ArcPuzzle>
        {
            ["p1"] = new("p1", train, [new(P1Input, P1Output)]),
            ["p2"] = new("p2", train, [new(P2Input0, P2Output0), new(P2Input1, P2Output1)]),
        };
        File.WriteAllText(directory.File(ArcEvaluator.TestPuzzlesFile), JsonSerializer.Serialize(puzzles));
        File.WriteAllText(directory.File(ArcEvaluator.IdentifiersFile), JsonSerializer.Serialize(new[] { "<blank>", "p1", Rotated.Name("p1"), "p2", "q9" }));
        return directory.Path;
    }

    static IReadOnlyDictionary<string, double> Score(ArcEvaluatorOptions? options, params Row[] rows)
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory), options);
        evaluator.Update(Batch(rows));
        return evaluator.Result();
    }

    static double PassAt1(params Row[] rows) => Score(null, rows)["ARC/pass@1"];

    [Fact]
    public void ReportsTheReferenceMetricNames()
    {
        var metrics = Score(null, Predict(P1, P1Input, P1Output));
        Assert.Equal(["ARC/pass@1", "ARC/pass@2", "ARC/pass@5", "ARC/pass@10", "ARC/pass@100", "ARC/pass@1000"], metrics.Keys);
        Assert.All(metrics.Values, v => Assert.Equal(0.5, v));  // p1 solved, p2 unanswered
    }

    [Fact]
    public void MoreVotesBeatHigherConfidence()
    {
        Row[] rows = [Predict(P1, P1Input, Wrong, -5), Predict(P1, P1Input, Wrong, -5), Predict(P1, P1Input, P1Output, 9)];
        var metrics = Score(new ArcEvaluatorOptions { PassKs = [1, 2] }, rows);
        Assert.Equal(0, metrics["ARC/pass@1"]);
        Assert.Equal(0.5, metrics["ARC/pass@2"]);  // ranked second: counts for pass@2 only (p1 of 2 puzzles)
    }

    [Fact]
    public void EqualVotesAreRankedByMeanConfidence()
    {
        // Mean of the sigmoids, not of the logits: the correct answer's logits (6, -2) average 2 but their sigmoids 0.558,
        // below the wrong answer's sigmoid(0.5) = 0.622.
        Assert.Equal(0, PassAt1(Predict(P1, P1Input, P1Output, 6), Predict(P1, P1Input, P1Output, -2),
            Predict(P1, P1Input, Wrong, 0.5f), Predict(P1, P1Input, Wrong, 0.5f)));
        // (sigmoid(4) + sigmoid(-1)) / 2 = 0.626 beats sigmoid(0.2) = 0.550.
        Assert.Equal(0.5, PassAt1(Predict(P1, P1Input, P1Output, 4), Predict(P1, P1Input, P1Output, -1),
            Predict(P1, P1Input, Wrong, 0.2f), Predict(P1, P1Input, Wrong, 0.2f)));
    }

    [Fact]
    public void FullTiesKeepTheFirstAnswerSeen()
    {
        Assert.Equal(0, PassAt1(Predict(P1, P1Input, Wrong, 1), Predict(P1, P1Input, P1Output, 1)));
        Assert.Equal(0.5, PassAt1(Predict(P1, P1Input, P1Output, 1), Predict(P1, P1Input, Wrong, 1)));
    }

    [Fact]
    public void BallotCountsVotesAndAveragesConfidence()
    {
        var ballot = new ArcBallot();
        ballot.Add("a", 0.9);
        ballot.Add("b", 0.2);
        ballot.Add("z", 0.6);
        ballot.Add("b", 0.4);
        ballot.Add("y", 0.6);
        var ranked = ballot.Ranked();
        Assert.Equal(["b", "a", "z", "y"], ranked.Select(c => c.Hash));
        Assert.Equal([2, 1, 1, 1], ranked.Select(c => c.Count));
        Assert.Equal(0.3, ranked[0].MeanConfidence, 12);
    }

    [Fact]
    public void PassAtKAveragesTestInputsWithinAPuzzleThenOverPuzzles()
    {
        // p1 solved, p2 half solved: (1 + 0.5) / 2, not 2 of 3 test inputs.
        var metrics = Score(new ArcEvaluatorOptions { PassKs = [1, 2] },
            Predict(P1, P1Input, P1Output), Predict(P2, P2Input0, P2Output0), Predict(P2, P2Input1, Wrong, 3), Predict(P2, P2Input1, P2Output1));
        Assert.Equal(0.75, metrics["ARC/pass@1"]);
        Assert.Equal(1.0, metrics["ARC/pass@2"]);
    }

    [Fact]
    public void AugmentedPredictionsAreMappedBackBeforeScoring()
    {
        // The rotated copy of p1 sees a 3x2 input and must answer a 2x3 grid, in permuted colours.
        var input = Rotated.Apply(P1Input);
        Assert.Equal((3, 2), (input.GetLength(0), input.GetLength(1)));
        Assert.Equal(0.5, PassAt1(Predict(P1Rotated, input, Rotated.Apply(P1Output))));
        Assert.Equal(0, PassAt1(Predict(P1Rotated, input, P1Output)));  // the answer in original coordinates is wrong there
    }

    [Fact]
    public void VotesFromAugmentedCopiesAddUp()
    {
        // Two augmented votes for the right answer beat one plain vote for a wrong one with higher confidence.
        var input = Rotated.Apply(P1Input);
        Assert.Equal(0.5, PassAt1(Predict(P1, P1Input, Wrong, 5), Predict(P1Rotated, input, Rotated.Apply(P1Output)), Predict(P1Rotated, input, Rotated.Apply(P1Output))));
    }

    [Fact]
    public void RowsWhoseInputIsNoTestInputAreIgnored()
    {
        // An augmented name with an un-augmented input maps to no test input; blanks and training-only puzzles are skipped.
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory));
        evaluator.Update(Batch(Predict(P1Rotated, P1Input, Rotated.Apply(P1Output)), Predict(ArcEvaluator.BlankIdentifier, P1Input, P1Output),
            Predict(TrainOnly, P1Input, P1Output)));
        var warnings = new List<string>();
        Assert.Equal(0, evaluator.Result(warn: warnings.Add)["ARC/pass@1"]);
        Assert.Equal("ARC: 3 test input(s) got no predictions and score 0: p1, p2 test 0, p2 test 1.", Assert.Single(warnings));
    }

    [Fact]
    public void PredictionsAreCroppedAtTheMarkers()
    {
        // The right grid, its markers, and colour noise to the right of the marker column and below the marker row.
        var canvas = Canvas(P1Output);
        for (int r = 0; r < ArcCanvas.Size; r++)
            for (int c = 0; c < ArcCanvas.Size; c++)
                if (canvas[r * ArcCanvas.Size + c] == ArcCanvas.Pad) canvas[r * ArcCanvas.Size + c] = 2 + (r + c) % 10;
        Assert.Equal(0.5, PassAt1(new Row(P1, Canvas(P1Input), canvas)));

        // A marker inside the grid cuts it short: the largest marker-free rectangle is then the first column (3 > 2 cells).
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory));
        var cut = Canvas(P1Output);
        cut[1 * ArcCanvas.Size + 1] = ArcCanvas.Marker;
        evaluator.Update(Batch(new Row(P1, Canvas(P1Input), cut)));
        Assert.Equal(0, evaluator.Result(directory.Path)["ARC/pass@1"]);
        var attempt = JsonNode.Parse(File.ReadAllText(directory.File(ArcEvaluator.SubmissionFile)))!["p1"]![0]!["attempt_1"]!;
        Assert.Equal("[[7],[9],[2]]", attempt.ToJsonString());
    }

    [Fact]
    public void APredictionStartingWithNoColourIsAnEmptyGridVote()
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory));
        var empty = new int[ArcCanvas.Length];
        evaluator.Update(Batch(new Row(P1, Canvas(P1Input), empty, 2), new Row(P1, Canvas(P1Input), empty, 2), Predict(P1, P1Input, P1Output, 9)));
        Assert.Equal(0, evaluator.Result(directory.File("out"))["ARC/pass@1"]);
        var attempts = JsonNode.Parse(File.ReadAllText(directory.File("out/submission.json")))!["p1"]![0]!;
        Assert.Equal("[]", attempts["attempt_1"]!.ToJsonString());
        Assert.Equal("[[7,8],[9,1],[2,3]]", attempts["attempt_2"]!.ToJsonString());
    }

    [Fact]
    public void SubmissionListsAttemptsPerTestInputInOrder()
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory));
        // p2's second test input is predicted first; its best answer has two votes, the runner-up one.
        evaluator.Update(Batch(Predict(P2, P2Input1, Wrong2), Predict(P2, P2Input1, P2Output1), Predict(P2, P2Input1, Wrong2),
            Predict(P2, P2Input0, P2Output0), Predict(P1, P1Input, Wrong, 1), Predict(P1, P1Input, P1Output, 2), Predict(P1, P1Input, Wrong2, 0)));
        evaluator.Result(directory.Path);

        var submission = JsonNode.Parse(File.ReadAllText(directory.File(ArcEvaluator.SubmissionFile)))!.AsObject();
        Assert.Equal(["p1", "p2"], submission.Select(p => p.Key));
        var p1 = Assert.Single(submission["p1"]!.AsArray())!.AsObject();
        Assert.Equal(["attempt_1", "attempt_2"], p1.Select(a => a.Key));
        Assert.Equal("[[7,8],[9,1],[2,3]]", p1["attempt_1"]!.ToJsonString());
        Assert.Equal("[[0]]", p1["attempt_2"]!.ToJsonString());
        var p2 = submission["p2"]!.AsArray();
        Assert.Equal(2, p2.Count);
        Assert.Equal("""{"attempt_1":[[2,2]],"attempt_2":[[2,2]]}""", p2[0]!.ToJsonString());  // one answer: repeated
        Assert.Equal("""{"attempt_1":[[5,5]],"attempt_2":[[4]]}""", p2[1]!.ToJsonString());
    }

    [Fact]
    public void SubmissionKSetsTheNumberOfAttempts()
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory), new ArcEvaluatorOptions { SubmissionK = 3 });
        evaluator.Update(Batch(Predict(P1, P1Input, Wrong), Predict(P1, P1Input, P1Output)));
        evaluator.Result(directory.Path);
        var p1 = JsonNode.Parse(File.ReadAllText(directory.File(ArcEvaluator.SubmissionFile)))!["p1"]![0]!.AsObject();
        Assert.Equal(["attempt_1", "attempt_2", "attempt_3"], p1.Select(a => a.Key));
        Assert.Equal("[[0]]", p1["attempt_3"]!.ToJsonString());
        // p2 has no predictions: as in the reference it gets an empty list.
        Assert.Empty(JsonNode.Parse(File.ReadAllText(directory.File(ArcEvaluator.SubmissionFile)))!["p2"]!.AsArray());
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 0.5)]
    public void AggregatedVotingKeepsVotesAcrossEvaluations(bool aggregated, double passAt1)
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory), new ArcEvaluatorOptions { AggregatedVoting = aggregated });
        evaluator.BeginEval();
        evaluator.Update(Batch(Predict(P1, P1Input, Wrong), Predict(P1, P1Input, Wrong)));
        Assert.Equal(0, evaluator.Result()["ARC/pass@1"]);
        evaluator.BeginEval();
        evaluator.Update(Batch(Predict(P1, P1Input, P1Output)));
        Assert.Equal(passAt1, evaluator.Result()["ARC/pass@1"]);
    }

    [Theory]
    [InlineData(ArcEvaluator.IdentifiersFile)]
    [InlineData(ArcEvaluator.TestPuzzlesFile)]
    public void AMissingFileIsNamed(string file)
    {
        using var directory = new TempDirectory();
        File.Delete(Path.Combine(WriteDataset(directory), file));
        var error = Assert.Throws<TrmException>(() => new ArcEvaluator(directory.Path));
        Assert.Contains(Path.Combine(directory.Path, file) + " not found", error.Message);
    }

    [Fact]
    public void RejectsRowsThatAreNotArcCanvases()
    {
        using var directory = new TempDirectory();
        var evaluator = new ArcEvaluator(WriteDataset(directory));
        var error = Assert.Throws<TrmException>(() => evaluator.Update(Batch(new Row(P1, new int[81], new int[81]))));
        Assert.Contains("81 tokens", error.Message);
        error = Assert.Throws<TrmException>(() => evaluator.Update(Batch(Predict(7, P1Input, P1Output))));
        Assert.Contains("puzzle identifier 7", error.Message);
    }

    [Fact]
    public void OptionsComeFromTheEvaluatorConfig()
    {
        EvaluatorConfig Config(string json) => JsonSerializer.Deserialize<EvaluatorConfig>(json)!;
        var options = ArcEvaluatorOptions.From(Config("""{"name": "arc@ARC", "submission_K": 3, "pass_Ks": [1, 7], "aggregated_voting": false}"""));
        Assert.Equal(3, options.SubmissionK);
        Assert.Equal([1, 7], options.PassKs);
        Assert.False(options.AggregatedVoting);
        Assert.Equal(new ArcEvaluatorOptions().PassKs, ArcEvaluatorOptions.From(Config("""{"name": "arc@ARC"}""")).PassKs);
        Assert.Contains("submission_k", Assert.Throws<TrmException>(() => ArcEvaluatorOptions.From(Config("""{"name": "arc@ARC", "submission_k": 3}"""))).Message);
        Assert.Contains("pass_Ks", Assert.Throws<TrmException>(() => ArcEvaluatorOptions.From(Config("""{"name": "arc@ARC", "pass_Ks": [0]}"""))).Message);
    }

    [Fact]
    public void TrueLabelsOfARealBuildScoreOne()
    {
        // ARC-AGI-1 evaluation puzzles with one augmentation each: every test row, original or augmented, answers its label.
        using var directory = new TempDirectory();
        var output = directory.File("arc");
        ArcDatasetBuilder.Build(new ArcBuildOptions(ArcSharedDataset.Prefix, ["evaluation"], "evaluation", output, NumAug: 1));
        var evaluator = new ArcEvaluator(output);
        using var split = PuzzleSplit.Open(output, "test");
        var set = Assert.Single(split.Sets);
        var rows = new List<Row>();
        for (int p = 0; p < set.PuzzleCount; p++)
            for (int e = set.PuzzleIndices[p]; e < set.PuzzleIndices[p + 1]; e++)
            {
                int[] input = new int[ArcCanvas.Length], label = new int[ArcCanvas.Length];
                set.Inputs.CopyRow(e, input);
                set.Labels.CopyRow(e, label);
                rows.Add(new Row(set.PuzzleIdentifiers[p], input, label));
            }
        Assert.Equal(2 * 419, rows.Count);
        foreach (var chunk in rows.Chunk(96)) evaluator.Update(Batch(chunk));
        var warnings = new List<string>();
        Assert.All(evaluator.Result(directory.Path, warnings.Add).Values, v => Assert.Equal(1.0, v));
        Assert.Empty(warnings);
        var submission = JsonNode.Parse(File.ReadAllText(directory.File(ArcEvaluator.SubmissionFile)))!.AsObject();
        Assert.Equal(400, submission.Count);
        Assert.Equal(419, submission.Sum(p => p.Value!.AsArray().Count));
    }
}
