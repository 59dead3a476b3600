namespace Trm.Data;

/// <summary>
/// The 8 symmetries of a rectangle grid, numbered as the reference's <c>dihedral_transform</c>:
/// 0 identity, 1-3 rotations by 90/180/270 degrees counter-clockwise (numpy <c>rot90</c>), 4 left-right
/// flip, 5 up-down flip, 6 transpose, 7 anti-diagonal reflection.
/// </summary>
public static class Dihedral
{
    public const int Count = 8;

    /// <summary>Transform t is undone by <c>Inverse[t]</c> (rotations by 90 and 270 swap; the rest undo themselves).</summary>
    public static readonly int[] Inverse = [0, 3, 2, 1, 4, 5, 6, 7];

    /// <summary>Returns the transformed (rows, columns) grid; rotations 1 and 3, 6 and 7 swap the sides.</summary>
    public static T[,] Apply<T>(T[,] grid, int transform)
    {
        int h = grid.GetLength(0), w = grid.GetLength(1);
        bool swaps = transform is 1 or 3 or 6 or 7;
        var result = new T[swaps ? w : h, swaps ? h : w];
        for (int i = 0; i < result.GetLength(0); i++)
            for (int j = 0; j < result.GetLength(1); j++)
                result[i, j] = transform switch
                {
                    0 => grid[i, j],
                    1 => grid[j, w - 1 - i],
                    2 => grid[h - 1 - i, w - 1 - j],
                    3 => grid[h - 1 - j, i],
                    4 => grid[i, w - 1 - j],
                    5 => grid[h - 1 - i, j],
                    6 => grid[j, i],
                    7 => grid[h - 1 - j, w - 1 - i],
                    _ => throw new ArgumentOutOfRangeException(nameof(transform), $"dihedral transform {transform} is not in 0..7"),
                };
        return result;
    }
}
