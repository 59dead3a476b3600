namespace Trm.Puzzles.Sudoku;

/// <summary>
/// A Sudoku typed by a person: the cells row by row, <c>.</c> or <c>0</c> for blanks (16, 36 or 81
/// characters; spaces and line breaks ignored), and its tokens as the datasets hold them (digit + 1).
/// </summary>
public static class SudokuText
{
    /// <summary>Parses (through <see cref="SudokuCells"/>, whitespace removed first) and checks a puzzle; errors say what is wrong and where.</summary>
    public static SudokuGrid Parse(string text)
    {
        var cells = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var geometry = SudokuGeometry.ForCellCount(cells.Length)
            ?? throw new TrmException($"a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells; this one has {cells.Length}.");
        var grid = new SudokuGrid(geometry, SudokuCells.Parse(cells, geometry, what: null));
        if (SudokuSolver.CountSolutions(grid, 1) == 0)
        {
            var clash = Clash(grid) is { } where ? $" ({where})" : "";
            throw new TrmException($"the givens contradict each other{clash}: this {geometry.Size}x{geometry.Size} Sudoku has no solution.");
        }
        return grid;
    }

    /// <summary>Dataset tokens: 1 for a blank, digit + 1 otherwise (0 is padding).</summary>
    public static int[] Tokens(SudokuGrid grid)
    {
        var tokens = new int[grid.Geometry.CellCount];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = grid[i] + 1;
        return tokens;
    }

    /// <summary>The grid a model's answer tokens describe (tokens outside 1..size+1 read as blanks).</summary>
    public static SudokuGrid FromTokens(SudokuGeometry geometry, IReadOnlyList<int> tokens) =>
        new(geometry, tokens.Select(t => t >= 2 && t <= geometry.Size + 1 ? (byte)(t - 1) : (byte)0).ToArray());

    /// <summary>The grid as rows of digits with box separators, blanks as dots.</summary>
    public static string Format(SudokuGrid grid)
    {
        var g = grid.Geometry;
        var lines = new List<string>();
        for (int row = 0; row < g.Size; row++)
        {
            if (row > 0 && row % g.BoxRows == 0) lines.Add(string.Join("-+-", Enumerable.Repeat(new string('-', g.BoxColumns * 2 - 1), g.Stacks)));
            var cells = Enumerable.Range(0, g.Size).Select(column => grid[row, column] == 0 ? "." : grid[row, column].ToString());
            lines.Add(string.Join(" | ", cells.Chunk(g.BoxColumns).Select(box => string.Join(" ", box))));
        }
        return string.Join("\n", lines);
    }

    static string? Clash(SudokuGrid grid)
    {
        var g = grid.Geometry;
        string[] kinds = ["row", "column", "box"];
        for (int u = 0; u < g.Units.Count; u++)
        {
            var digits = g.Units[u].Select(cell => grid[cell]).Where(v => v != 0).ToList();
            var repeated = digits.GroupBy(v => v).FirstOrDefault(d => d.Count() > 1);
            if (repeated is not null) return $"{kinds[u / g.Size]} {u % g.Size + 1} has {repeated.Key} twice";
        }
        return null;
    }
}
