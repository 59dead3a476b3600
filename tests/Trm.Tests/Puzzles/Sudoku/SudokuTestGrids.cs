using Trm.Puzzles.Sudoku;

namespace Trm.Tests.Puzzles.Sudoku;

/// <summary>Known grids for the Sudoku tests, parsed from their CSV form (digits, '.' blank).</summary>
public static class SudokuTestGrids
{
    // Wikipedia's example puzzle: naked and hidden singles solve it.
    public const string Easy = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    public const string EasySolution = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";

    // Arto Inkala's "world's hardest Sudoku" (2012): needs guessing.
    public const string Hard = "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..";
    public const string HardSolution = "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

    public static SudokuGrid Parse(string text)
    {
        var geometry = SudokuGeometry.ForCellCount(text.Length) ?? throw new ArgumentException($"{text.Length} cells");
        return new SudokuGrid(geometry, text.Select(c => c == '.' ? (byte)0 : (byte)(c - '0')).ToArray());
    }
}
