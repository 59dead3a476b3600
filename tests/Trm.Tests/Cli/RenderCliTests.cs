using Trm.Rendering;
using Trm.Tests.Rendering;
using Trm.Inference;
using Trm.Puzzles;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Cli;

public class RenderCliTests
{
    const string Sudoku = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    const string Solution = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    [Fact]
    public void ARealArcTaskWithPredictionsIsDrawn()
    {
        using var dir = new TempDirectory();
        var predictions = dir.File("submission.json");
        File.WriteAllText(predictions, """{"007bbfb7": [{"attempt_1": [[7, 0, 7]], "attempt_2": [[2]]}]}""");
        var output = dir.File("task.png");
        var (exit, stdout, stderr) = TrmProcess.Run("render", "arc", ArcTaskImageTests.ChallengesFile, "--task", "007bbfb7",
            "--predictions", predictions, "--out", output, "--cell", "10");
        Assert.True(exit == 0, stderr);
        Assert.Contains($"wrote {output} (", stdout);

        // The test row: input 3x3 | expected 9x9 | attempt 1 (1x3, wrong: red frame) | attempt 2.
        var image = DecodedImage.Png(output);
        int grid9 = 9 * 10 + 10, panel3 = PanelSheet.MinPanelWidth, panel9 = Math.Max(grid9 + 6, PanelSheet.MinPanelWidth);
        int testTop = PanelSheet.Padding + PanelSheet.TitleHeight + 5 * (PanelSheet.CaptionHeight + grid9 + 6 + PanelSheet.Gap);
        int attemptX = PanelSheet.Padding + panel3 + PanelSheet.Gap + panel9 + PanelSheet.Gap;
        Assert.Equal("#FF4136", image[attemptX + 1, testTop + PanelSheet.CaptionHeight + 1].ToString());
        Assert.Equal("#FF851B", image[attemptX + 3 + 1 + 5, testTop + PanelSheet.CaptionHeight + 3 + 1 + 5].ToString());   // attempt 1's cell (0, 0) is 7, orange
        Assert.Equal(2 * PanelSheet.Padding + panel3 + panel9 + 2 * PanelSheet.MinPanelWidth + 3 * PanelSheet.Gap, image.Width);
    }

    [Fact]
    public void ASudokuAnswerIsDrawnWithItsWrongCellMarked()
    {
        using var dir = new TempDirectory();
        var output = dir.File("board.png");
        var answer = "1" + Solution[1..];   // changes the clue 5 at row 1, column 1
        var (exit, _, stderr) = TrmProcess.Run("render", "sudoku", Sudoku, "--answer", answer, "--out", output);
        Assert.True(exit == 0, stderr);
        var image = DecodedImage.Png(output);
        Assert.Equal((378, 378), (image.Width, image.Height));
        Assert.Equal(SudokuImage.WrongBackground, image[5, 5]);
        Assert.Equal(SudokuImage.FilledBackground, image[3 + 2 * 40 + 2 + 2, 5]);   // (0, 2) filled with the right 4
    }

    [Fact]
    public void AMazeFileIsDrawn()
    {
        using var dir = new TempDirectory();
        var maze = dir.File("maze.txt");
        File.WriteAllText(maze, "#####\r\n#SoG#\r\n#####\r\n\r\n");
        var (exit, _, stderr) = TrmProcess.Run("render", "maze", maze, "--out", dir.File("maze.png"), "--cell", "8");
        Assert.True(exit == 0, stderr);
        var image = DecodedImage.Png(dir.File("maze.png"));
        Assert.Equal((5 * 8 + 6, 3 * 8 + 4), (image.Width, image.Height));
        Assert.Equal(MazeImage.Path, image[1 + 2 * 9 + 4, 1 + 9 + 4]);
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("html")]
    [InlineData("png")]
    public void ATrajectoryIsWrittenInTheFormatOfItsExtension(string extension)
    {
        using var dir = new TempDirectory();
        var record = dir.File("solve.json");
        File.WriteAllText(record, new SudokuSolveRecord(Sudoku, Solution, true, null, 3,
            [new(Sudoku, 0.1), new(Solution[..40] + Sudoku[40..], 0.5), new(Solution, 0.9)]).ToJson());
        var output = dir.File($"trajectory.{extension}");
        var (exit, stdout, stderr) = TrmProcess.Run("render", "trajectory", record, "--out", output);
        Assert.True(exit == 0, stderr);
        Assert.Contains("(3 steps,", stdout);
        var bytes = File.ReadAllBytes(output);
        switch (extension)
        {
            case "gif": Assert.Equal(3, DecodedImage.Gif(bytes).Frames.Count); break;
            case "png": Assert.True(DecodedImage.Png(bytes).Width > 3 * 378); break;
            default: Assert.Contains("data-step=\"3\"", System.Text.Encoding.UTF8.GetString(bytes)); break;
        }
    }

    [Theory]
    [InlineData("malformed.json", "{\"kind\": ", "malformed.json: not valid JSON")]
    [InlineData("kind.json", "{\"kind\": \"go\"}", "kind.json: kind \"go\" is not one this program draws")]
    [InlineData("colour.json", """{"kind": "arc", "task": "t", "tests": [{"input": [[11]], "attempt_1": [[1]], "attempt_2": [[1]]}]}""", "colour.json, tests[0], input: cell (0, 0) is 11; colours are integers 0..9.")]
    [InlineData("ragged.json", """{"kind": "maze", "puzzle": ["###", "#S"], "answer": [], "valid": false, "shortest": false, "steps_used": 1, "steps": []}""", "ragged.json, puzzle: row 2 has 2 cells where row 1 has 3 (ragged rows).")]
    public void BadTrajectoryInputExitsWithCode2AndWritesNothing(string name, string json, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(name), json);
        var (exit, _, stderr) = TrmProcess.Run("render", "trajectory", dir.File(name), "--out", dir.File("out.gif"));
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.Equal([name], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void OtherBadInputExitsWithCode2AndWritesNothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("ragged.txt"), "###\n#S\n");
        File.WriteAllText(dir.File("exists.png"), "keep");
        (string[] Args, string Message)[] cases =
        [
            (["render", "maze", dir.File("ragged.txt"), "--out", dir.File("m.png")], "ragged.txt: row 2 has 2 cells where row 1 has 3 (ragged rows)."),
            (["render", "sudoku", Sudoku, "--answer", "123", "--out", dir.File("s.png")], "--answer: has 3 characters where the 9x9 puzzle has 81 cells."),
            (["render", "sudoku", Sudoku[..80] + "x", "--out", dir.File("s.png")], "the puzzle: cell 81 (row 9, column 9) is 'x'"),
            (["render", "sudoku", Sudoku, "--out", dir.File("s.jpg")], "s.jpg: cannot write a .jpg file here; the output name must end in .png."),
            (["render", "sudoku", Sudoku, "--out", dir.File("s.png"), "--cell", "0"], "--cell must be an integer from 2 to 100 (is 0)."),
            (["render", "sudoku", Sudoku, "--out", dir.File("exists.png")], "exists.png already exists; pass --force to replace it"),
            (["render", "arc", ArcTaskImageTests.ChallengesFile, "--out", dir.File("a.png")], "error: --task is needed: "),
            (["render", "arc", ArcTaskImageTests.ChallengesFile, "--task", "007bbfb7", "--predictions", dir.File("ragged.txt"), "--out", dir.File("a.png")], "ragged.txt: not valid JSON"),
        ];
        foreach (var (args, message) in cases)
        {
            var (exit, _, stderr) = TrmProcess.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}, {stderr}");
            Assert.Contains(message, stderr);
        }
        Assert.Equal(["exists.png", "ragged.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("keep", File.ReadAllText(dir.File("exists.png")));

        var (forced, _, _) = TrmProcess.Run("render", "sudoku", Sudoku, "--out", dir.File("exists.png"), "--force");
        Assert.Equal(0, forced);
        Assert.Equal(378, DecodedImage.Png(dir.File("exists.png")).Width);
    }
}
