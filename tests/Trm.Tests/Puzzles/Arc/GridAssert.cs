namespace Trm.Tests.Puzzles.Arc;

/// <summary>Grid equality with shapes (xunit compares a 2-D array as a flat sequence, so 2x3 would equal 3x2).</summary>
public static class GridAssert
{
    public static void Equal(byte[,] expected, byte[,] actual, string context = "")
    {
        Assert.True(expected.GetLength(0) == actual.GetLength(0) && expected.GetLength(1) == actual.GetLength(1),
            $"{context}: shape {actual.GetLength(0)}x{actual.GetLength(1)}, expected {expected.GetLength(0)}x{expected.GetLength(1)}");
        for (int r = 0; r < expected.GetLength(0); r++)
            for (int c = 0; c < expected.GetLength(1); c++)
                if (expected[r, c] != actual[r, c]) Assert.Fail($"{context}: cell ({r}, {c}) is {actual[r, c]}, expected {expected[r, c]}");
    }

    /// <summary>A grid from rows, e.g. <c>Of([1, 2], [3, 4])</c>.</summary>
    public static byte[,] Of(params byte[][] rows)
    {
        var grid = new byte[rows.Length, rows[0].Length];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < rows[0].Length; c++) grid[r, c] = rows[r][c];
        return grid;
    }
}
