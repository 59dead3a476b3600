using Trm.Puzzles.Sudoku;

namespace Trm.Rendering;

/// <summary>
/// A Sudoku board to draw, cells row-major: <see cref="Givens"/> the puzzle's clues (0 blank), <see cref="Digits"/>
/// what the board shows (0 blank; the clues again plus any filled digits), <see cref="Wrong"/> cells known to be wrong,
/// <see cref="Changed"/> cells that changed since the previous step.
/// </summary>
public sealed record SudokuBoard(SudokuGeometry Geometry, byte[] Givens, byte[] Digits, bool[]? Wrong = null, bool[]? Changed = null);

/// <summary>
/// A Sudoku board: clues in black on grey, filled digits in blue on white, wrong cells in dark red on pink, changed cells
/// framed in orange. Lines are <see cref="Thin"/> between cells and <see cref="Thick"/> between boxes and around the board, so a side
/// of n cells with boxes of b spans <c>n * cell + (n / b + 1) * Thick + (n - n / b) * Thin</c> pixels.
/// </summary>
public static class SudokuImage
{
    public const int DefaultCell = 40, Thin = 1, Thick = 3;

    public static Rgb GivenBackground { get; } = Rgb.Parse("#D9D9D9");
    public static Rgb GivenDigit { get; } = Rgb.Black;
    public static Rgb FilledBackground { get; } = Rgb.White;
    public static Rgb FilledDigit { get; } = Rgb.Parse("#0074D9");
    public static Rgb WrongBackground { get; } = Rgb.Parse("#FFC9C9");
    public static Rgb WrongDigit { get; } = Rgb.Parse("#B00020");
    public static Rgb ChangedFrame { get; } = Rgb.Parse("#FF851B");
    public static Rgb ThinLine { get; } = Rgb.Parse("#9E9E9E");
    public static Rgb ThickLine { get; } = Rgb.Black;

    /// <summary>Pixels spanned by <paramref name="cells"/> cells in boxes of <paramref name="box"/> along one axis.</summary>
    public static int Extent(int cells, int box, int cell) => Offset(cells, box, cell);

    /// <summary>
    /// The first pixel of cell <paramref name="index"/> along an axis whose boxes are <paramref name="box"/> cells long:
    /// the outer line, <paramref name="index"/> cells, and the index / box thick and other thin lines between them.
    /// </summary>
    public static int Offset(int index, int box, int cell) => Thick + index * cell + index / box * Thick + (index - index / box) * Thin;

    public static Raster Render(SudokuBoard board, int cell = DefaultCell)
    {
        var g = board.Geometry;
        if (board.Givens.Length != g.CellCount || board.Digits.Length != g.CellCount)
            throw new ArgumentException($"a {g} board has {g.CellCount} cells; got {board.Givens.Length} givens and {board.Digits.Length} digits", nameof(board));
        var raster = new Raster(Extent(g.Size, g.BoxColumns, cell), Extent(g.Size, g.BoxRows, cell), ThickLine);
        int frame = CellGrid.ChangedFrameWidth(cell);
        for (int i = 0; i < g.CellCount; i++)
        {
            int x = Offset(g.Column(i), g.BoxColumns, cell), y = Offset(g.Row(i), g.BoxRows, cell);
            bool given = board.Givens[i] != 0, wrong = board.Wrong?[i] == true || (given && board.Digits[i] != board.Givens[i]);
            raster.Fill(x, y, cell, cell, wrong ? WrongBackground : given ? GivenBackground : FilledBackground);
            DrawThinLines(raster, g, i, x, y, cell);
            if (board.Changed?[i] == true && frame > 0) raster.Outline(x, y, cell, cell, frame, ChangedFrame);
            if (board.Digits[i] != 0)
                raster.Text(board.Digits[i].ToString(), x + cell / 2f, y + cell / 2f, cell * 0.6f, wrong ? WrongDigit : given ? GivenDigit : FilledDigit,
                    centred: true, bold: given);
        }
        return raster;
    }

    // The 1-pixel line right of and below a cell, where the next cell is in the same box (the board starts black: box lines stay).
    static void DrawThinLines(Raster raster, SudokuGeometry g, int i, int x, int y, int cell)
    {
        int row = g.Row(i), column = g.Column(i);
        if (column + 1 < g.Size && (column + 1) % g.BoxColumns != 0) raster.Fill(x + cell, y, Thin, cell, ThinLine);
        if (row + 1 < g.Size && (row + 1) % g.BoxRows != 0) raster.Fill(x, y + cell, cell, Thin, ThinLine);
        if (column + 1 < g.Size && (column + 1) % g.BoxColumns != 0 && row + 1 < g.Size && (row + 1) % g.BoxRows != 0)
            raster.Fill(x + cell, y + cell, Thin, Thin, ThinLine);
    }
}
