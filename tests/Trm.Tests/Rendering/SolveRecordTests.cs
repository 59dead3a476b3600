using Trm.Rendering;
using Trm.Inference;
using Trm.Solving;
using Trm.Puzzles;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Rendering;

public class SolveRecordTests
{
    [Fact]
    public void EachKindReadsBackWhatItWrites()
    {
        SolveRecord[] records =
        [
            new SudokuSolveRecord(".4....3..3....2.", "3412123423414123", true, null, 1, [new("3412123423414123", 0.97), new("3412123423414123", 0.99)]),
            new MazeSolveRecord(["#S G#"], ["#SoG#"], false, false, "the path cells do not connect S to G", 1, [new(["#SoG#"], 0.5)]),
            new ArcSolveRecord("007bbfb7", [new(new byte[,] { { 1, 2 } }, null, new byte[,] { { 3 } }, new byte[,] { { 4 } }, [new(new byte[,] { { 5 }, { 6 } }, 0.25)])]),
        ];
        using var dir = new TempDirectory();
        foreach (var record in records)
        {
            var path = dir.File("solve.json");
            File.WriteAllText(path, record.ToJson());
            var read = PuzzleKinds.ReadRecord(path);
            Assert.Equal(record.GetType(), read.GetType());
            Assert.Equal(record.ToJson(), read.ToJson());
        }
        var json = records[0].ToJson();
        Assert.StartsWith("{\n  \"kind\": \"sudoku\",\n  \"puzzle\": \".4....3..3....2.\"", json.ReplaceLineEndings("\n"));
        Assert.Contains("\"steps_used\": 1", json);
        Assert.Contains("\"halt_probability\": 0.97", json);
        Assert.Contains("\"attempt_1\": [\n", records[2].ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnArcAnswerThatDecodesToNoGridIsReadAndDrawn()
    {
        // An untrained model may not mark a grid corner at all; its answer decodes to [] and must still be shown.
        using var dir = new TempDirectory();
        var path = dir.File("solve.json");
        File.WriteAllText(path, """{"kind": "arc", "task": "t", "tests": [{"input": [[1, 2]], "expected": [[3]], "attempt_1": [], "attempt_2": [[4]], "steps": [{"answer": [], "halt_probability": 0.1}, {"answer": [[4]], "halt_probability": 0.2}]}]}""");
        var record = Assert.IsType<ArcSolveRecord>(PuzzleKinds.ReadRecord(path));
        Assert.Empty(record.Tests[0].Attempt1);
        Assert.Empty(record.Tests[0].Steps[0].Answer);
        foreach (var format in new[] { ImageFormat.Png, ImageFormat.Gif, ImageFormat.Html })
            Assert.NotEmpty(SolveRendering.Render(record, format));
        File.WriteAllText(path, """{"kind": "arc", "task": "t", "tests": [{"input": [], "expected": null, "attempt_1": [[1]], "attempt_2": [[1]], "steps": []}]}""");
        Assert.Contains("tests[0], input: expected a grid (a non-empty list of rows)", Assert.Throws<TrmException>(() => PuzzleKinds.ReadRecord(path)).Message);
    }

    [Theory]
    [InlineData("""[1]""", "expected an object with a \"kind\" (sudoku, maze or arc), found a list of 1")]
    [InlineData("""{"kind": "chess"}""", "kind \"chess\" is not one this program draws; use sudoku, maze or arc.")]
    [InlineData("""{"puzzle": "x"}""", "\"kind\" must be a string and is missing.")]
    [InlineData("""{"kind": "sudoku", "puzzle": ".4....3..3....2.", "answer": "3412123423414123", "valid": true, "steps_used": 3, "steps": [{"answer": "3412123423414123", "halt_probability": 0.9}]}""", "\"steps_used\" is 3, but there are 1 steps; it must be 1..1.")]
    [InlineData("""{"kind": "sudoku", "puzzle": ".4....3..3....2.", "answer": "3412123423414123", "valid": true, "steps_used": 1, "steps": [{"answer": "341212342341412", "halt_probability": 0.9}]}""", "steps[0], answer: has 15 characters where the 4x4 puzzle has 16 cells.")]
    [InlineData("""{"kind": "sudoku", "puzzle": ".4....3..3....2.", "answer": "3412123423414123", "valid": true, "steps_used": 1, "steps": [{"answer": "3412123423414123", "halt_probability": 1.5}]}""", "steps[0]: \"halt_probability\" must be a number from 0 to 1.")]
    [InlineData("""{"kind": "maze", "puzzle": ["#S G#"], "answer": ["#SoG#"], "valid": true, "shortest": true, "steps_used": 1, "steps": [{"answer": ["#SoG#", "#####"], "halt_probability": 0.9}]}""", "steps[0], answer: is 2x5 where the puzzle is 1x5.")]
    [InlineData("""{"kind": "maze", "puzzle": ["#S G#", "##"], "answer": ["#SoG#"], "valid": true, "shortest": true, "steps_used": 1, "steps": []}""", "puzzle: row 2 has 2 cells where row 1 has 5 (ragged rows).")]
    [InlineData("""{"kind": "arc", "task": "t", "tests": [{"input": [[1]], "expected": null, "attempt_1": [[1]], "attempt_2": [[10]], "steps": []}]}""", "tests[0], attempt_2: cell (0, 0) is 10; colours are integers 0..9.")]
    [InlineData("""{"kind": "arc", "task": "t", "tests": [{"input": [[1]], "attempt_1": [[1]], "steps": []}]}""", "tests[0]: \"attempt_2\" is missing; expected a grid")]
    [InlineData("""{"kind": "sudoku", """, "not valid JSON")]
    public void BadRecordsAreNamedWithTheFileAndField(string json, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("solve.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<TrmException>(() => PuzzleKinds.ReadRecord(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
