using Trm.Solving;
using Trm.Puzzles.Sudoku;
using System.Text.Json;
using SkiaSharp;
using Trm.Rendering;
using Trm.Tests.Training;
using Trm.Training;
using Trm.Inference;
using Trm.Puzzles;
using Trm.Puzzles.Maze;

namespace Trm.Tests.Cli;

/// <summary>
/// <c>trm solve sudoku|maze</c> as a user runs them. The model is <see cref="TinyTask"/>'s (rotary positions, so it
/// runs on any length): its answers are not solutions, which is what these tests need to see reported honestly.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class SolveCliTests : IClassFixture<SolveCliTests.TinyCheckpoint>
{
    public sealed class TinyCheckpoint : IDisposable
    {
        readonly TempDirectory dir = new();
        public string Path { get; }

        // A tiny model trained briefly on 4x4 Sudoku (16 tokens, vocabulary 6: what solve checks a 4x4 Sudoku or maze against).
        public TinyCheckpoint()
        {
            var data = dir.File("data");
            var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = 4, Train = 200, Test = 20, Seed = 0 });
            SudokuDatasetBuilder.Build(splits, data, new SudokuDatasetOptions { NumAug = 0 });
            using var trainer = new Trainer(TinyTask.Config(data, dir.File("run"), epochs: 8, evalInterval: 8, ema: false), dir.File("run"));
            trainer.Run(new RecordingObserver());
            Path = Directory.GetDirectories(dir.File("run"), "step_*").Single();
        }

        public void Dispose() => dir.Dispose();
    }

    readonly string checkpoint;

    public SolveCliTests(TinyCheckpoint model) => checkpoint = model.Path;

    [Theory]
    [InlineData("44....3..3....2.", "error: the puzzle '44....3..3....2.': the givens contradict each other (row 1 has 4 twice)")]
    [InlineData("123", "error: the puzzle '123': a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has 3.")]
    [InlineData(".4....3..3....x.", "error: the puzzle '.4....3..3....x.': cell 15 (row 4, column 3) is 'x'; use 1-4, or . or 0 for a blank.")]
    public void MalformedPuzzlesAreRefusedBeforeLoadingAModel(string puzzle, string expected)
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", puzzle);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void AMissingCheckpointIsNamed()
    {
        var (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", "/no/such/checkpoint", ".4....3..3....2.");
        Assert.Equal(2, exit);
        Assert.Contains("/no/such/checkpoint: checkpoint directory not found", stderr);
    }

    [Fact]
    public void OneSudokuIsCheckedAndItsStepsAreWrittenAsJson()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", checkpoint, ".4....3..3....2.", "--max-steps", "2", "--fixed-steps", "--out", dir.File("answer.json"),
            "--render", dir.File("steps.gif"));

        Assert.True(exit == 1, stderr);   // the tiny model does not solve Sudoku, and says so
        Assert.Contains("not a solution:", stdout);
        Assert.Contains("steps: 2 of at most 2 (fixed steps", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("answer.json")));
        var root = json.RootElement;
        Assert.Equal("sudoku", root.GetProperty("kind").GetString());
        Assert.Equal(".4....3..3....2.", root.GetProperty("puzzle").GetString());
        Assert.False(root.GetProperty("valid").GetBoolean());
        Assert.Equal(2, root.GetProperty("steps_used").GetInt32());
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(root.GetProperty("answer").GetString(), steps[^1].GetProperty("answer").GetString());
        Assert.All(steps, s => Assert.Equal(16, s.GetProperty("answer").GetString()!.Length));
        Assert.All(steps, s => Assert.InRange(s.GetProperty("halt_probability").GetDouble(), 0, 1));

        // The record is what `trm render trajectory` reads, and --render drew one frame per step.
        var record = Assert.IsType<SudokuSolveRecord>(PuzzleKinds.ReadRecord(dir.File("answer.json")));
        Assert.Equal(2, record.Steps.Count);
        using var gif = SKCodec.Create(dir.File("steps.gif"));
        Assert.Equal(SKEncodedImageFormat.Gif, gif.EncodedFormat);
        Assert.Equal(2, gif.FrameCount);
    }

    [Fact]
    public void AFileOfSudokuIsSolvedInOneBatchAndSummarised()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("puzzles.csv"), ["source,question,answer,rating", "a,.4....3..3....2.,1432234141233214,0", "b,1...........4...,1234341221434321,0"]);
        var (exit, stdout, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", checkpoint, dir.File("puzzles.csv"), "--out", dir.File("answers.json"));

        Assert.True(exit == 1, stderr);
        Assert.Matches(@"2 puzzles: 0 valid solutions \(0\.0 ?%\), mean steps [1-3]\.\d\d", stdout);
        Assert.Contains("equal to the file's answer: 0 of 2", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("answers.json")));
        var records = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([".4....3..3....2.", "1...........4..."], records.Select(r => r.GetProperty("puzzle").GetString()));
        Assert.All(records, r => Assert.Equal(r.GetProperty("steps_used").GetInt32(), r.GetProperty("steps").GetArrayLength()));

        File.WriteAllLines(dir.File("puzzles.txt"), [".4....3..3....2.", "", "12"]);
        (exit, _, stderr) = TrmProcess.Run("solve", "sudoku", "--checkpoint", checkpoint, dir.File("puzzles.txt"));
        Assert.Equal(2, exit);
        Assert.Contains($"{dir.File("puzzles.txt")}:3: a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has 2.", stderr);
    }

    [Fact]
    public void AMazeAnswerIsDrawnAndJudged()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("maze.txt"), "S  #\n## #\n   #\nG   \n");
        var (exit, stdout, stderr) = TrmProcess.Run("solve", "maze", "--checkpoint", checkpoint, dir.File("maze.txt"), "--out", dir.File("maze.json"),
            "--render", dir.File("maze.png"));

        Assert.True(exit == 1, stderr);
        var record = Assert.IsType<MazeSolveRecord>(PuzzleKinds.ReadRecord(dir.File("maze.json")));
        Assert.Equal(record.StepsUsed, record.Steps.Count);
        using var png = SKCodec.Create(dir.File("maze.png"));
        Assert.Equal(SKEncodedImageFormat.Png, png.EncodedFormat);
        Assert.Contains("steps: ", stdout);
        Assert.Matches("not a path from S to G|not a shortest one|holds tokens that are not maze cells", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("maze.json")));
        Assert.Equal("maze", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(["S  #", "## #", "   #", "G   "], json.RootElement.GetProperty("puzzle").EnumerateArray().Select(r => r.GetString()));
        Assert.False(json.RootElement.GetProperty("shortest").GetBoolean());
    }

    [Theory]
    [InlineData("S  #\n## #\n   #\n", "row 1 has 4 cells but the maze has 3 rows; a maze is square.")]
    [InlineData("S  #\n## #\n  S#\nG   \n", "a maze needs exactly one S and one G; this one has 2 S and 1 G.")]
    [InlineData("S  #\n#x #\n   #\nG   \n", "character 'x' at row 2, column 2 is not one of '# SGo'.")]
    public void MalformedMazesAreNamed(string maze, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("maze.txt"), maze);
        var (exit, _, stderr) = TrmProcess.Run("solve", "maze", "--checkpoint", checkpoint, dir.File("maze.txt"), "--out", dir.File("maze.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"{dir.File("maze.txt")}: {expected}", stderr);
        Assert.False(File.Exists(dir.File("maze.json")));
    }
}
