namespace Trm.Puzzles.Sudoku;

/// <summary>
/// A validity-preserving Sudoku symmetry, the reference's <c>shuffle_sudoku</c> for any size: optionally
/// transpose (square boxes only), then new cell (i, j) takes cell (RowOrder[i], ColumnOrder[j]), then
/// digit d becomes DigitMap[d] (DigitMap[0] = 0 keeps blanks). RowOrder permutes the bands and the rows
/// within each band; ColumnOrder the stacks and the columns within each stack.
/// </summary>
public sealed class SudokuTransform
{
    readonly byte[] digitMap;
    readonly int[] cellMap;

    public SudokuGeometry Geometry { get; }

    /// <param name="digitMap">Size + 1 entries: 0 then a permutation of 1..Size.</param>
    /// <param name="rowOrder">Size rows: bands in some order, each band's rows in some order.</param>
    /// <param name="columnOrder">Size columns: stacks in some order, each stack's columns in some order.</param>
    public SudokuTransform(SudokuGeometry geometry, byte[] digitMap, int[] rowOrder, int[] columnOrder, bool transpose)
    {
        if (digitMap.Length != geometry.Size + 1 || digitMap[0] != 0 || !digitMap.Skip(1).Order().SequenceEqual(Enumerable.Range(1, geometry.Size).Select(d => (byte)d)))
            throw new ArgumentException($"the digit map must be 0 followed by a permutation of 1..{geometry.Size}", nameof(digitMap));
        if (!KeepsBlocks(rowOrder, geometry.BoxRows)) throw new ArgumentException("the row order must move whole bands", nameof(rowOrder));
        if (!KeepsBlocks(columnOrder, geometry.BoxColumns)) throw new ArgumentException("the column order must move whole stacks", nameof(columnOrder));
        if (transpose && !geometry.BoxesAreSquare) throw new ArgumentException($"transposing a {geometry} grid breaks its boxes", nameof(transpose));
        Geometry = geometry;
        this.digitMap = (byte[])digitMap.Clone();
        cellMap = CellMap(geometry, rowOrder, columnOrder, transpose);
    }

    /// <summary>A uniformly random transform: digit permutation, transpose with probability 1/2 where boxes are square, band/row and stack/column orders.</summary>
    public static SudokuTransform Random(SudokuGeometry geometry, Random random)
    {
        var digits = Enumerable.Range(1, geometry.Size).Select(d => (byte)d).ToArray();
        random.Shuffle(digits);
        bool transpose = geometry.BoxesAreSquare && random.NextDouble() < 0.5;
        return new SudokuTransform(geometry, [0, .. digits],
            BlockOrder(geometry.Bands, geometry.BoxRows, random), BlockOrder(geometry.Stacks, geometry.BoxColumns, random), transpose);
    }

    public SudokuGrid Apply(SudokuGrid grid)
    {
        if (grid.Geometry != Geometry) throw new ArgumentException($"a {Geometry} transform cannot apply to a {grid.Geometry} grid", nameof(grid));
        var cells = new byte[cellMap.Length];
        for (int i = 0; i < cells.Length; i++) cells[i] = digitMap[grid[cellMap[i]]];
        return new SudokuGrid(Geometry, cells);
    }

    /// <summary>Token ids (digit + 1, 1 blank, 0 pad) of a grid moved by this transform; tokens that are not digits stay as they are.</summary>
    public int[] ApplyTokens(IReadOnlyList<int> tokens)
    {
        var moved = new int[cellMap.Length];
        for (int i = 0; i < moved.Length; i++) moved[i] = MapToken(tokens[cellMap[i]], digitMap);
        return moved;
    }

    /// <summary>Undoes <see cref="ApplyTokens"/>: a model's answer in the transformed frame, back in the original one.</summary>
    public int[] InvertTokens(IReadOnlyList<int> tokens)
    {
        var inverse = new byte[digitMap.Length];
        for (int d = 0; d < digitMap.Length; d++) inverse[digitMap[d]] = (byte)d;
        var original = new int[cellMap.Length];
        for (int i = 0; i < original.Length; i++) original[cellMap[i]] = MapToken(tokens[i], inverse);
        return original;
    }

    static int MapToken(int token, byte[] digits) => token >= 2 && token - 1 < digits.Length ? digits[token - 1] + 1 : token;

    /// <summary>Augments a (question, answer) pair with one random transform applied to both.</summary>
    public static (SudokuGrid Question, SudokuGrid Answer) Shuffle(SudokuGrid question, SudokuGrid answer, Random random)
    {
        var transform = Random(question.Geometry, random);
        return (transform.Apply(question), transform.Apply(answer));
    }

    /// <summary>Per new cell, the old cell it takes its value from.</summary>
    internal static int[] CellMap(SudokuGeometry geometry, int[] rowOrder, int[] columnOrder, bool transpose)
    {
        int size = geometry.Size;
        var map = new int[geometry.CellCount];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                map[i * size + j] = transpose ? columnOrder[j] * size + rowOrder[i] : rowOrder[i] * size + columnOrder[j];
        return map;
    }

    /// <summary>A random order of <paramref name="blocks"/> blocks of <paramref name="width"/> lines, each block's lines shuffled.</summary>
    static int[] BlockOrder(int blocks, int width, Random random)
    {
        var blockOrder = Enumerable.Range(0, blocks).ToArray();
        random.Shuffle(blockOrder);
        return [.. blockOrder.SelectMany(b =>
        {
            var lines = Enumerable.Range(b * width, width).ToArray();
            random.Shuffle(lines);
            return lines;
        })];
    }

    /// <summary>True when <paramref name="order"/> is a permutation whose consecutive runs of <paramref name="width"/> are whole blocks.</summary>
    static bool KeepsBlocks(int[] order, int width) =>
        order.Order().SequenceEqual(Enumerable.Range(0, order.Length)) &&
        order.Chunk(width).All(run => run.All(line => line / width == run[0] / width));
}
