using System.Collections.Concurrent;

namespace Trm.Puzzles.Sudoku;

/// <summary>
/// Canonical forms under the augmentation group of <see cref="SudokuTransform"/>: two grids are
/// equivalent when one transform maps one onto the other, and then their canonical forms are equal.
/// The form is the lexicographically smallest grid (blank 0 first) over every position transform, each
/// with its digits relabelled in first-occurrence order (the smallest relabelling of that arrangement).
/// </summary>
public static class SudokuEquivalence
{
    static readonly ConcurrentDictionary<SudokuGeometry, int[][]> PositionMaps = new();

    /// <summary>
    /// True when <see cref="Canonical"/> enumerates every position transform: 128 for 4x4 (bands, rows,
    /// stacks, columns, transpose), 3456 for 6x6 (no transpose: its boxes are not square). 9x9 has
    /// 3,359,232 position transforms, too many per puzzle, so there only digits are relabelled: equal
    /// forms still mean equivalent, but two equivalent 9x9 grids with different layouts go unnoticed.
    /// </summary>
    public static bool IsExact(SudokuGeometry geometry) => geometry.Size <= 6;

    /// <summary>The canonical form of <paramref name="grid"/> (see <see cref="IsExact"/> for what 9x9 leaves out).</summary>
    public static SudokuGrid Canonical(SudokuGrid grid)
    {
        var maps = PositionMaps.GetOrAdd(grid.Geometry, AllPositionMaps);
        var cells = grid.Cells;
        var best = new byte[cells.Length];
        var candidate = new byte[cells.Length];
        Span<byte> label = stackalloc byte[grid.Geometry.Size + 1];
        bool first = true;
        foreach (var map in maps)
        {
            label.Clear();
            byte next = 1;
            int order = first ? -1 : 0;  // candidate vs best on the prefix so far
            for (int i = 0; i < candidate.Length && order <= 0; i++)
            {
                byte value = cells[map[i]];
                if (value != 0)
                {
                    if (label[value] == 0) label[value] = next++;
                    value = label[value];
                }
                candidate[i] = value;
                if (order == 0) order = value.CompareTo(best[i]);
            }
            if (order < 0) (best, candidate) = (candidate, best);
            first = false;
        }
        return new SudokuGrid(grid.Geometry, best);
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> have the same canonical form.</summary>
    public static bool AreEquivalent(SudokuGrid a, SudokuGrid b) => Canonical(a).Equals(Canonical(b));

    /// <summary>Every position transform's cell map for exact geometries; the identity alone for 9x9.</summary>
    static int[][] AllPositionMaps(SudokuGeometry geometry)
    {
        var identity = Enumerable.Range(0, geometry.Size).ToArray();
        if (!IsExact(geometry)) return [SudokuTransform.CellMap(geometry, identity, identity, transpose: false)];
        var rowOrders = BlockOrders(geometry.Bands, geometry.BoxRows).ToList();
        var columnOrders = BlockOrders(geometry.Stacks, geometry.BoxColumns).ToList();
        bool[] transposes = geometry.BoxesAreSquare ? [false, true] : [false];
        return [.. from rows in rowOrders from columns in columnOrders from transpose in transposes
                   select SudokuTransform.CellMap(geometry, rows, columns, transpose)];
    }

    /// <summary>Every line order that moves <paramref name="blocks"/> blocks of <paramref name="width"/> lines whole.</summary>
    static IEnumerable<int[]> BlockOrders(int blocks, int width) =>
        Permutations(blocks).SelectMany(blockOrder => blockOrder.Aggregate(
            (IEnumerable<int[]>)[[]],
            (prefixes, block) => prefixes.SelectMany(prefix =>
                Permutations(width).Select(lines => (int[])[.. prefix, .. lines.Select(line => block * width + line)]))));

    static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in Permutations(n - 1))
            for (int position = 0; position <= rest.Length; position++)
                yield return [.. rest[..position], n - 1, .. rest[position..]];
    }
}
