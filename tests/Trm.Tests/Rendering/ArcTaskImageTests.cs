using Trm.Puzzles.Arc;
using Trm.Rendering;

namespace Trm.Tests.Rendering;

public class ArcTaskImageTests
{
    /// <summary>The standard ARC colours, written out here independently of <see cref="ArcPalette"/>.</summary>
    static readonly string[] Standard = ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"];

    public static string ChallengesFile => Path.Combine(TestPaths.Arc, "arc-agi_training_challenges.json");

    static ArcTaskView Read(string path, string? taskId = null) => ArcTaskView.Of(ArcPuzzleReader.ReadTask(path, taskId));

    [Fact]
    public void ThePaletteIsTheStandardArcColours() =>
        Assert.Equal(Standard, ArcPalette.Colours.Select(c => c.ToString()));

    [Fact]
    public void ARealTaskHasTheLayoutsSizeAndEveryCellItsColour()
    {
        const int cell = 16;
        var task = Read(ChallengesFile, "007bbfb7");
        Assert.Equal(5, task.Train.Count);
        Assert.NotNull(task.Tests.Single().Expected);   // from arc-agi_training_solutions.json beside it

        using var raster = ArcTaskImage.Render(task, cell);
        var image = DecodedImage.Png(raster.EncodePng());

        // Rows: 5 train pairs (3x3 | 9x9) and the test (3x3 input | 9x9 expected), under a title.
        int Grid(int n) => n * cell + n + 1;
        int PanelWidth(int n) => Math.Max(Grid(n) + 2 * PanelSheet.FrameWidth, PanelSheet.MinPanelWidth);
        int rowHeight = PanelSheet.CaptionHeight + Grid(9) + 2 * PanelSheet.FrameWidth;
        int top = PanelSheet.Padding + PanelSheet.TitleHeight;
        Assert.Equal(Math.Max(2 * PanelSheet.Padding + PanelWidth(3) + PanelSheet.Gap + PanelWidth(9), PanelSheet.MinTitledWidth), image.Width);
        Assert.Equal(top + 6 * rowHeight + 5 * PanelSheet.Gap + PanelSheet.Padding, image.Height);

        // Every cell of every train grid, at its centre.
        for (int p = 0; p < task.Train.Count; p++)
            foreach (var (grid, left) in new[] { (task.Train[p].Input, 0), (task.Train[p].Output, PanelWidth(3) + PanelSheet.Gap) })
                for (int r = 0; r < grid.GetLength(0); r++)
                    for (int c = 0; c < grid.GetLength(1); c++)
                    {
                        int x = PanelSheet.Padding + left + PanelSheet.FrameWidth + 1 + c * (cell + 1) + cell / 2;
                        int y = top + p * (rowHeight + PanelSheet.Gap) + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + 1 + r * (cell + 1) + cell / 2;
                        Assert.Equal(Standard[grid[r, c]], image[x, y].ToString());
                    }
        // Train 3's input has red (2) at row 1, column 2: #FF4136; a grid line between cells is #555555.
        Assert.Equal(2, task.Train[2].Input[1, 2]);
        int lineY = top + 2 * (rowHeight + PanelSheet.Gap) + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + 1 + cell;
        Assert.Equal("#555555", image[PanelSheet.Padding + PanelSheet.FrameWidth + 1 + cell / 2, lineY].ToString());
    }

    [Fact]
    public void AttemptsAreFramedGreenWhenRightAndRedWhenWrong()
    {
        byte[,] input = { { 1, 2 }, { 3, 4 } }, expected = { { 4, 3 }, { 2, 1 } }, wrong = { { 4, 3 }, { 2, 2 } };
        var task = new ArcTaskView("t", [new ArcPair(input, expected)], [new ArcTestView(input, expected, [expected, wrong])]);
        const int cell = 10;
        using var raster = ArcTaskImage.Render(task, cell);
        var image = DecodedImage.Png(raster.EncodePng());

        int panel = PanelSheet.MinPanelWidth + PanelSheet.Gap;   // a 2x2 grid is narrower than the minimum panel
        int rowTop = PanelSheet.Padding + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + 2 * PanelSheet.FrameWidth + 2 * cell + 3 + PanelSheet.Gap;
        int frameY = rowTop + PanelSheet.CaptionHeight + 1;   // inside the frame's top band
        int x = PanelSheet.Padding + 1;
        Assert.Equal("#FFFFFF", image[x, frameY].ToString());                 // input: no frame
        Assert.Equal("#FFFFFF", image[x + panel, frameY].ToString());         // expected: no frame
        Assert.Equal("#2ECC40", image[x + 2 * panel, frameY].ToString());     // attempt 1 equals the expected output
        Assert.Equal("#FF4136", image[x + 3 * panel, frameY].ToString());     // attempt 2 does not
        // Attempt 2's wrong cell (1, 1) shows its own colour, red: #FF4136 inside the grid.
        int cellX = PanelSheet.Padding + 3 * panel + PanelSheet.FrameWidth + 1 + (cell + 1) + cell / 2;
        int cellY = rowTop + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + 1 + (cell + 1) + cell / 2;
        Assert.Equal("#FF4136", image[cellX, cellY].ToString());
        Assert.Equal(Standard[1], image[cellX - 3 * panel - (cell + 1), cellY - (cell + 1)].ToString());   // input (0, 0) is blue
    }

    [Fact]
    public void ATaskFileGivesItsIdFromTheFileNameAndItsTestOutputsWhenPresent()
    {
        using var dir = new TempDirectory();
        var path = dir.File("abc123.json");
        File.WriteAllText(path, """{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]], "output": [[4]]}, {"input": [[5]]}]}""");
        var task = Read(path);
        Assert.Equal("abc123", task.Id);
        Assert.Equal(4, task.Tests[0].Expected![0, 0]);
        Assert.Null(task.Tests[1].Expected);
    }

    [Theory]
    [InlineData("""{"train": [{"input": [[1, 2], [3]], "output": [[2]]}], "test": [{"input": [[3]]}]}""", "train[0].input: row 1 has 1 cells where row 0 has 2 (ragged rows)")]
    [InlineData("""{"train": [{"input": [[1]], "output": [[12]]}], "test": [{"input": [[3]]}]}""", "train[0].output: cell (0, 0) is 12; colours are integers 0..9")]
    [InlineData("""{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]""", "not valid JSON")]
    public void BadTaskFilesAreNamedWithTheField(string json, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<TrmException>(() => Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ACombinedFileNeedsATaskId()
    {
        var error = Assert.Throws<TrmSettingsException>(() => Read(ChallengesFile));
        Assert.Contains("TaskId is needed: ", error.Message);
        Assert.Contains("has no task 'nope'", Assert.Throws<TrmException>(() => Read(ChallengesFile, "nope")).Message);
    }

    [Fact]
    public void PredictionsAddEachTestsAttemptsInOrder()
    {
        using var dir = new TempDirectory();
        var path = dir.File("submission.json");
        File.WriteAllText(path, """{"other": [], "007bbfb7": [{"attempt_1": [[1, 1]], "attempt_2": [[2]], "attempt_3": [[3]]}]}""");
        var task = ArcPredictionsFile.AddAttempts(Read(ChallengesFile, "007bbfb7"), path);
        var attempts = task.Tests.Single().Attempts;
        Assert.Equal([1, 2, 3], attempts.Select(a => a[0, a.GetLength(1) - 1]));
        Assert.Equal(2, attempts[0].GetLength(1));

        File.WriteAllText(path, """{"other": []}""");
        Assert.Contains("has no predictions for task '007bbfb7' (it has other)",
            Assert.Throws<TrmSettingsException>(() => ArcPredictionsFile.AddAttempts(task, path)).Message);
    }
}
