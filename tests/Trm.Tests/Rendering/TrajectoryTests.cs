using Trm.Rendering;
using Trm.Inference;
using Trm.Puzzles;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Rendering;

public class TrajectoryTests
{
    // A 4x4 puzzle with one solution, 3412 / 1234 / 2341 / 4123; step 1 has 2 where the solution has 3 (row 0, column 0).
    const string Puzzle = ".4....3..3....2.", Solution = "3412123423414123", Step1 = "2412123423414123";
    const int Cell = 30, Board = 4 * Cell + 3 * 3 + 2 * 1;   // 131

    static SudokuSolveRecord Sudoku(int steps = 2) => new(Puzzle, Solution, Valid: true, Problem: null, StepsUsed: steps,
        [.. Enumerable.Range(0, steps).Select(i => new SudokuSolveStep(i == 0 ? Step1 : Solution, 0.1 + 0.8 * i / Math.Max(1, steps - 1)))]);

    [Fact]
    public void ThePngStripShowsEachStepWithChangedCellsFramedAndWrongCellsMarked()
    {
        var image = DecodedImage.Png(SolveRendering.Render(Sudoku(), ImageFormat.Png, new RenderOptions(Cell)));
        int panel = Board + 2 * PanelSheet.FrameWidth;
        Assert.Equal(Math.Max(2 * PanelSheet.Padding + 2 * panel + PanelSheet.Gap, PanelSheet.MinTitledWidth), image.Width);
        Assert.Equal(PanelSheet.Padding + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + panel + PanelSheet.Padding, image.Height);

        int y = PanelSheet.Padding + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + SudokuImage.Thick;
        int step1 = PanelSheet.Padding + PanelSheet.FrameWidth + SudokuImage.Thick, step2 = step1 + panel + PanelSheet.Gap;
        Assert.Equal(SudokuImage.WrongBackground, image[step1 + Cell / 4, y + Cell / 4]);     // step 1: cell (0, 0) is wrong
        Assert.Equal(SudokuImage.ChangedFrame, image[step2, y]);                              // step 2: it changed, framed
        Assert.Equal(SudokuImage.FilledBackground, image[step2 + Cell / 4, y + Cell / 4]);   // and is now right
        Assert.Equal(SudokuImage.GivenBackground, image[step2 + Cell + 1 + Cell / 4, y + Cell / 4]);   // (0, 1) is the clue 4
        Assert.Equal(SudokuImage.FilledBackground, image[step1 + 2 * Cell + 3 + 1, y + 1]);  // (0, 2) did not change: no frame in step 1 or 2
        Assert.Equal(SudokuImage.FilledBackground, image[step2 + 2 * Cell + 3 + 1, y + 1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void TheGifHasOneFramePerStepTheLastHeldLonger(int steps)
    {
        var (frames, delays) = DecodedImage.Gif(SolveRendering.Render(Sudoku(steps), ImageFormat.Gif, new RenderOptions(Cell, DelayMilliseconds: 500)));
        Assert.Equal(steps, frames.Count);
        Assert.All(frames, f => Assert.Equal((PanelSheet.MinTitledWidth, PanelSheet.Padding * 2 + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + Board + 6), (f.Width, f.Height)));
        Assert.Equal([.. Enumerable.Repeat(500, steps - 1), 500 * TrajectoryImage.LastFrameHold], delays);
        int y = PanelSheet.Padding + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + SudokuImage.Thick + Cell / 4;
        int x = PanelSheet.Padding + PanelSheet.FrameWidth + SudokuImage.Thick + Cell / 4;
        Assert.Equal(SudokuImage.WrongBackground, frames[0][x, y]);
        if (steps > 1) Assert.Equal(SudokuImage.FilledBackground, frames[^1][x, y]);
    }

    [Fact]
    public void TheHtmlPageHasOneInlinedPicturePerStepAndLoadsNothing()
    {
        var html = System.Text.Encoding.UTF8.GetString(SolveRendering.Render(Sudoku(3), ImageFormat.Html));
        Assert.Equal(3, Count(html, "<figure class=\"step\""));
        Assert.Equal(3, Count(html, "src=\"data:image/png;base64,"));
        Assert.Equal(0, Count(html, "src=\"http"));
        Assert.Equal(0, Count(html, "<link"));
        Assert.Equal(0, Count(html, "url("));
        Assert.Contains("step 3 · halt 90 % · taken", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("<input id=\"slider\" type=\"range\" min=\"1\" max=\"3\"", html);
        // Each inlined picture is a PNG that decodes.
        var first = html.IndexOf("base64,", StringComparison.Ordinal) + 7;
        var png = Convert.FromBase64String(html[first..html.IndexOf('"', first)]);
        Assert.True(DecodedImage.Png(png).Width > Board);
    }

    [Fact]
    public void AnArcTrajectoryHasAFramePerStepOfItsLongestTestAndNeedsSteps()
    {
        byte[,] input = { { 1 } }, right = { { 2, 2 } }, wrong = { { 2, 3 } };
        var record = new ArcSolveRecord("t", [
            new ArcSolveTest(input, right, right, wrong, [new(wrong, 0.2), new(right, 0.6), new(right, 0.9)]),
            new ArcSolveTest(input, null, wrong, wrong, [new(wrong, 0.5)]),
        ]);
        var (frames, _) = DecodedImage.Gif(SolveRendering.Render(record, ImageFormat.Gif));
        Assert.Equal(3, frames.Count);

        var noSteps = record with { Tests = [.. record.Tests.Select(t => t with { Steps = [] })] };
        Assert.Contains("no steps to draw", Assert.Throws<TrmException>(() => SolveRendering.Render(noSteps, ImageFormat.Html)).Message);
        Assert.True(DecodedImage.Png(SolveRendering.Render(noSteps, ImageFormat.Png)).Height > 0);   // the attempts alone
    }

    [Fact]
    public void AMazeTrajectoryMarksPathCellsOffTheRoute()
    {
        string[] puzzle = ["#####", "#S G#", "#   #", "#####"];
        string[] detour = ["#####", "#S G#", "#oo #", "#####"], right = ["#####", "#SoG#", "#   #", "#####"];
        var record = new MazeSolveRecord(puzzle, right, true, true, null, 2, [new(detour, 0.1), new(right, 0.9)]);
        var (frames, _) = DecodedImage.Gif(SolveRendering.Render(record, ImageFormat.Gif, new RenderOptions(Cell: 10)));
        int x0 = PanelSheet.Padding + PanelSheet.FrameWidth + 1, y0 = PanelSheet.Padding + PanelSheet.TitleHeight + PanelSheet.CaptionHeight + PanelSheet.FrameWidth + 1;
        string At(int frame, int r, int c) => frames[frame][x0 + c * 11 + 5, y0 + r * 11 + 5].ToString();
        Assert.Equal("#FF851B", At(0, 2, 1));   // step 1: a detour
        Assert.Equal("#0074D9", At(1, 1, 2));   // step 2: on the shortest route
        Assert.Equal("#FFFFFF", At(1, 2, 1));
    }

    [Fact]
    public void WriteChoosesTheFormatFromTheExtension()
    {
        using var dir = new TempDirectory();
        SolveRendering.Write(Sudoku(), dir.File("t.gif"));
        SolveRendering.Write(Sudoku(), dir.File("t.png"));
        SolveRendering.Write(Sudoku(), dir.File("t.html"));
        Assert.Equal(2, DecodedImage.Gif(File.ReadAllBytes(dir.File("t.gif"))).Frames.Count);
        Assert.Equal(0x89, File.ReadAllBytes(dir.File("t.png"))[0]);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(dir.File("t.html")));
        Assert.Contains("the output name must end in .png, .gif, .html", Assert.Throws<TrmException>(() => SolveRendering.Write(Sudoku(), dir.File("t.jpg"))).Message);
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
    }

    static int Count(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
