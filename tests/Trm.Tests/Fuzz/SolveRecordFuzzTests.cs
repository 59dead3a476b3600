using System.Text;
using System.Text.Json.Nodes;
using Trm.Inference;
using Trm.Rendering;
using Trm.Solving;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Fuzz;

/// <summary>
/// Real solve records of each kind (what <c>trm solve --out</c> writes) with steps, rows, grids and fields changed, read and
/// drawn as <c>trm render trajectory</c> does.
/// </summary>
public class SolveRecordFuzzTests
{
    static readonly string[] Records =
    [
        new SudokuSolveRecord("1.3..2.1.4..3.2.", "1432321441232341", true, null, 2,
            [new("1.32.2.1.4..3.2.", 0.2), new("1432321441232341", 0.99)]).ToJson(),
        new MazeSolveRecord(["#####", "#S  #", "# # #", "#  G#", "#####"], ["#####", "#So #", "# #o#", "#  G#", "#####"], true, true, null, 1,
            [new(["#####", "#So #", "# #o#", "#  G#", "#####"], 0.9)]).ToJson(),
        new ArcSolveRecord("task", [new ArcSolveTest(new byte[,] { { 1, 2 }, { 3, 4 } }, new byte[,] { { 4, 3 } }, new byte[,] { { 4, 3 } }, new byte[0, 0],
            [new(new byte[,] { { 4, 3 } }, 0.7)])]).ToJson(),
    ];

    [Fact]
    public void MutatedRecordsEndInAMessage() =>
        FuzzRunner.Run("record.json", FuzzRunner.Seeds(240, foundFailing: [5, 238, 328, 679]), random =>
        {
            var record = Records[random.Next(Records.Length)];
            return random.Next(5) == 0 ? Mutations.Bytes(random, Encoding.UTF8.GetBytes(record))
                : Encoding.UTF8.GetBytes(Mutations.Json(random, JsonNode.Parse(record))?.ToJsonString() ?? "null");
        }, path => SolveRendering.Render(PuzzleKinds.ReadRecord(path), ImageFormat.Png));
}
