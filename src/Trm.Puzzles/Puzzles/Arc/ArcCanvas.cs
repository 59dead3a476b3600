using System.Numerics;

namespace Trm.Puzzles.Arc;

/// <summary>
/// The 30x30 token canvas a grid becomes (900 tokens, row-major): <see cref="Pad"/> 0 around it, colour + 2 inside,
/// and <see cref="Marker"/> 1 on the row below the grid (under its columns) and the column right of it (beside its
/// rows), where those fall inside the canvas. The corner cell diagonal to the grid stays pad.
/// </summary>
public static class ArcCanvas
{
    public const int Size = ArcPuzzleReader.MaxGridSize;
    public const int Length = Size * Size;
    public const byte Pad = 0, Marker = 1, ColourOffset = 2;
    public const int VocabSize = 10 + ColourOffset;

    /// <summary>Writes <paramref name="grid"/> with its top-left cell at (<paramref name="rowOffset"/>, <paramref name="columnOffset"/>) into <paramref name="canvas"/> (900 tokens).</summary>
    public static void Encode(byte[,] grid, int rowOffset, int columnOffset, Span<byte> canvas)
    {
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        if (canvas.Length != Length) throw new ArgumentException($"a canvas has {Length} tokens, got {canvas.Length}", nameof(canvas));
        if (rowOffset < 0 || columnOffset < 0 || rowOffset + rows > Size || columnOffset + columns > Size)
            throw new ArgumentOutOfRangeException(nameof(grid), $"a {rows}x{columns} grid at ({rowOffset}, {columnOffset}) does not fit the {Size}x{Size} canvas");
        canvas.Clear();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                canvas[(rowOffset + r) * Size + columnOffset + c] = (byte)(grid[r, c] + ColourOffset);
        int belowRow = rowOffset + rows, rightColumn = columnOffset + columns;
        if (belowRow < Size) canvas.Slice(belowRow * Size + columnOffset, columns).Fill(Marker);
        if (rightColumn < Size)
            for (int r = rowOffset; r < belowRow; r++) canvas[r * Size + rightColumn] = Marker;
    }

    /// <summary>
    /// Reads a grid back from a canvas (an encoded input or a predicted one) as the reference's evaluator does: the
    /// largest rectangle anchored at the top-left whose tokens are all colours (2..11), minus 2. Row by row the usable
    /// width only shrinks; a canvas starting with a non-colour gives an empty (0, 0) grid.
    /// </summary>
    public static byte[,] Decode<T>(ReadOnlySpan<T> canvas) where T : IBinaryInteger<T>
    {
        if (canvas.Length != Length) throw new ArgumentException($"a canvas has {Length} tokens, got {canvas.Length}", nameof(canvas));
        int bestArea = 0, bestRows = 0, bestColumns = 0, width = Size;
        for (int rows = 1; rows <= Size; rows++)
        {
            for (int c = 0; c < width; c++)
                if (!IsColour(canvas[(rows - 1) * Size + c]))
                {
                    width = c;
                    break;
                }
            if (rows * width > bestArea) (bestArea, bestRows, bestColumns) = (rows * width, rows, width);
        }
        var grid = new byte[bestRows, bestColumns];
        for (int r = 0; r < bestRows; r++)
            for (int c = 0; c < bestColumns; c++)
                grid[r, c] = (byte)(int.CreateTruncating(canvas[r * Size + c]) - ColourOffset);
        return grid;
    }

    static bool IsColour<T>(T token) where T : IBinaryInteger<T> =>
        token >= T.CreateTruncating(ColourOffset) && token <= T.CreateTruncating(ColourOffset + 9);
}
