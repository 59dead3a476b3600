namespace Trm.Puzzles.Sudoku;

/// <summary>
/// Sudoku cells written row by row (16, 36 or 81 characters; <c>.</c> or <c>0</c> blank, digits 1..size), read without
/// judging them: a model's answer may repeat digits or change clues and is still drawn.
/// </summary>
public static class SudokuCells
{
    /// <param name="what">Names the text in errors, e.g. "--answer" or "solve.json: steps[2].answer".</param>
    public static (SudokuGeometry Geometry, byte[] Cells) Parse(string text, string what)
    {
        var geometry = SudokuGeometry.ForCellCount(text.Length)
            ?? throw new TrmException($"{what}: a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells written row by row; this has {text.Length} characters.");
        return (geometry, Parse(text, geometry, what));
    }

    /// <summary>Reads cells of a known geometry (e.g. an answer to a puzzle of that size).</summary>
    public static byte[] Parse(string text, SudokuGeometry geometry, string what)
    {
        if (text.Length != geometry.CellCount)
            throw new TrmException($"{what}: has {text.Length} characters where the {geometry} puzzle has {geometry.CellCount} cells.");
        var cells = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            cells[i] = c is '.' or '0' ? (byte)0
                : c >= '1' && c <= (char)('0' + geometry.Size) ? (byte)(c - '0')
                : throw new TrmException($"{what}: cell {i + 1} (row {i / geometry.Size + 1}, column {i % geometry.Size + 1}) is '{c}'; use 1-{geometry.Size}, or . or 0 for a blank.");
        }
        return cells;
    }
}
