namespace Trm.Puzzles.Sudoku;

/// <summary>
/// The one reader of Sudoku cells written row by row (16, 36 or 81 characters; <c>.</c> or <c>0</c> blank, digits 1..size),
/// read without judging them: a model's answer may repeat digits or change clues and is still drawn. <see cref="SudokuText"/>
/// adds whitespace stripping and a solvability check on top, <see cref="SudokuCsv"/> its per-field errors.
/// </summary>
public static class SudokuCells
{
    /// <param name="what">Names the text in errors, e.g. "the answer" or "solve.json: steps[2].answer"; null for none.</param>
    public static (SudokuGeometry Geometry, byte[] Cells) Parse(string text, string? what)
    {
        var geometry = SudokuGeometry.ForCellCount(text.Length)
            ?? throw Error(what, $"a Sudoku has 16 (4x4), 36 (6x6) or 81 (9x9) cells written row by row; this has {text.Length} characters");
        return (geometry, Parse(text, geometry, what));
    }

    /// <summary>Reads cells of a known geometry (e.g. an answer to a puzzle of that size).</summary>
    public static byte[] Parse(string text, SudokuGeometry geometry, string? what)
    {
        if (text.Length != geometry.CellCount)
            throw Error(what, $"has {text.Length} characters where the {geometry} puzzle has {geometry.CellCount} cells");
        return TryParse(text, geometry, allowBlanks: true, out int i)
            ?? throw Error(what, $"cell {i + 1} (row {i / geometry.Size + 1}, column {i % geometry.Size + 1}) is '{text[i]}'; use 1-{geometry.Size}, or . or 0 for a blank");
    }

    /// <summary>
    /// The cells of <paramref name="text"/> (<see cref="SudokuGeometry.CellCount"/> characters), 0 for a blank; or null, with
    /// <paramref name="bad"/> the index of the first character that is not a digit 1..size or, when <paramref name="allowBlanks"/>, a blank.
    /// </summary>
    public static byte[]? TryParse(ReadOnlySpan<char> text, SudokuGeometry geometry, bool allowBlanks, out int bad)
    {
        var cells = new byte[text.Length];
        for (bad = 0; bad < text.Length; bad++)
        {
            char c = text[bad];
            if (c >= '1' && c <= '0' + geometry.Size) cells[bad] = (byte)(c - '0');
            else if (!(allowBlanks && c is '.' or '0')) return null;
        }
        bad = -1;
        return cells;
    }

    static TrmException Error(string? what, string problem) => new($"{(what is null ? "" : $"{what}: ")}{problem}.");
}
