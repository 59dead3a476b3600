namespace Trm.Puzzles.Sudoku;

/// <summary>
/// The shape of a Sudoku: <see cref="Size"/> digits per row, column and box, boxes of
/// <see cref="BoxRows"/> x <see cref="BoxColumns"/> cells. Cells are numbered row-major, 0..Size*Size-1.
/// Rows group into <see cref="Bands"/> bands of BoxRows rows; columns into <see cref="Stacks"/> stacks of BoxColumns columns.
/// </summary>
public sealed class SudokuGeometry
{
    /// <summary>4x4 with 2x2 boxes.</summary>
    public static SudokuGeometry Four { get; } = new(4, 2, 2);

    /// <summary>6x6 with boxes of 2 rows x 3 columns.</summary>
    public static SudokuGeometry Six { get; } = new(6, 2, 3);

    /// <summary>9x9 with 3x3 boxes.</summary>
    public static SudokuGeometry Nine { get; } = new(9, 3, 3);

    public static IReadOnlyList<SudokuGeometry> All { get; } = [Four, Six, Nine];

    public int Size { get; }
    public int BoxRows { get; }
    public int BoxColumns { get; }
    public int CellCount => Size * Size;
    public int Bands => Size / BoxRows;
    public int Stacks => Size / BoxColumns;

    /// <summary>Transposing keeps boxes intact only when they are square (4x4, 9x9).</summary>
    public bool BoxesAreSquare => BoxRows == BoxColumns;

    /// <summary>Bit mask with bits 1..Size set (bit d stands for digit d; bit 0 is unused).</summary>
    public int AllDigits => ((1 << Size) - 1) << 1;

    /// <summary>The 3*Size units (rows, then columns, then boxes), each Size cell indices.</summary>
    public IReadOnlyList<int[]> Units { get; }

    /// <summary>Per cell, the other cells sharing its row, column or box (no repeats).</summary>
    public IReadOnlyList<int[]> Peers { get; }

    SudokuGeometry(int size, int boxRows, int boxColumns)
    {
        (Size, BoxRows, BoxColumns) = (size, boxRows, boxColumns);
        var units = new List<int[]>();
        for (int r = 0; r < size; r++) units.Add([.. Enumerable.Range(0, size).Select(c => r * size + c)]);
        for (int c = 0; c < size; c++) units.Add([.. Enumerable.Range(0, size).Select(r => r * size + c)]);
        for (int b = 0; b < size; b++)
        {
            int top = b / Stacks * boxRows, left = b % Stacks * boxColumns;
            units.Add([.. Enumerable.Range(0, size).Select(i => (top + i / boxColumns) * size + left + i % boxColumns)]);
        }
        Units = units;
        Peers = [.. Enumerable.Range(0, CellCount).Select(cell =>
            units.Where(u => u.Contains(cell)).SelectMany(u => u).Where(p => p != cell).Distinct().Order().ToArray())];
    }

    public int Row(int cell) => cell / Size;
    public int Column(int cell) => cell % Size;

    /// <summary>The geometry of a <paramref name="size"/> x <paramref name="size"/> Sudoku, or null for sizes other than 4, 6 and 9.</summary>
    public static SudokuGeometry? ForSize(int size) => All.FirstOrDefault(g => g.Size == size);

    /// <summary>The geometry whose grids have <paramref name="cellCount"/> cells (16, 36 or 81), or null.</summary>
    public static SudokuGeometry? ForCellCount(int cellCount) => All.FirstOrDefault(g => g.CellCount == cellCount);

    public override string ToString() => $"{Size}x{Size}";
}
