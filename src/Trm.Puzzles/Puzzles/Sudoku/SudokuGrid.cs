namespace Trm.Puzzles.Sudoku;

/// <summary>
/// An immutable Size x Size grid, row-major: 0 is a blank, 1..Size a digit. Equality compares cells,
/// so grids work as set and dictionary keys. <see cref="ToString"/> writes the CSV form (digits, <c>.</c> for blanks).
/// </summary>
public sealed class SudokuGrid : IEquatable<SudokuGrid>
{
    readonly byte[] cells;

    public SudokuGeometry Geometry { get; }

    /// <summary>Copies <paramref name="cells"/> (length Size*Size, values 0..Size).</summary>
    public SudokuGrid(SudokuGeometry geometry, ReadOnlySpan<byte> cells)
    {
        if (cells.Length != geometry.CellCount)
            throw new ArgumentException($"a {geometry} grid has {geometry.CellCount} cells, got {cells.Length}", nameof(cells));
        foreach (var value in cells)
            if (value > geometry.Size) throw new ArgumentException($"cell value {value} outside 0..{geometry.Size}", nameof(cells));
        Geometry = geometry;
        this.cells = cells.ToArray();
    }

    /// <summary>An all-blank grid.</summary>
    public static SudokuGrid Empty(SudokuGeometry geometry) => new(geometry, new byte[geometry.CellCount]);

    public byte this[int cell] => cells[cell];
    public byte this[int row, int column] => cells[row * Geometry.Size + column];

    public ReadOnlySpan<byte> Cells => cells;

    public int BlankCount => cells.Count(v => v == 0);

    /// <summary>Blanks / cells, in [0, 1]; minimal puzzles are well over half blank.</summary>
    public double BlankFraction => (double)BlankCount / cells.Length;

    public bool Equals(SudokuGrid? other) =>
        other is not null && other.Geometry == Geometry && cells.AsSpan().SequenceEqual(other.cells);

    public override bool Equals(object? obj) => Equals(obj as SudokuGrid);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(cells);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Create(cells.Length, cells, (chars, values) =>
    {
        for (int i = 0; i < values.Length; i++) chars[i] = values[i] == 0 ? '.' : (char)('0' + values[i]);
    });
}
