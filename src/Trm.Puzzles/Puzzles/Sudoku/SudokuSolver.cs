using System.Numerics;

namespace Trm.Puzzles.Sudoku;

/// <summary>What <see cref="SudokuSolver.Solve"/> found: the first solution (null: none) and the backtracks it took.</summary>
public sealed record SudokuSolveResult(SudokuGrid? Solution, int Backtracks);

/// <summary>
/// Exact depth-first solver. Each cell keeps a bit mask of candidate digits; at every search node the
/// solver propagates naked singles (a cell with one candidate) and hidden singles (a digit with one
/// place left in a row, column or box) until nothing changes, then branches on the empty cell with
/// the fewest candidates (lowest index on ties), trying its digits in ascending order.
/// </summary>
public static class SudokuSolver
{
    /// <summary>
    /// Finds the first solution. <see cref="SudokuSolveResult.Backtracks"/> is the difficulty rating: the
    /// number of dead ends (a node where propagation empties a cell or leaves a digit nowhere to go in
    /// some unit) met before the first solution; each one sends the search back to try another digit.
    /// 0 means singles alone solve the puzzle. Sudoku-Extreme's rating is also a backtrack count, but
    /// from tdoku's solver, so the two scales agree only roughly. It depends on the digit order and the
    /// tie-breaks, so an augmented copy of a puzzle may rate differently.
    /// </summary>
    public static SudokuSolveResult Solve(SudokuGrid puzzle)
    {
        var search = new Search(puzzle.Geometry, limit: 1, random: null);
        search.Run(puzzle.Cells);
        return new SudokuSolveResult(search.First is null ? null : new SudokuGrid(puzzle.Geometry, search.First), search.DeadEnds);
    }

    /// <summary>The difficulty rating of <paramref name="puzzle"/>: <see cref="Solve"/>'s backtrack count.</summary>
    public static int Rate(SudokuGrid puzzle) => Solve(puzzle).Backtracks;

    /// <summary>Counts solutions, stopping at <paramref name="limit"/> (so the result is at most <paramref name="limit"/>).</summary>
    public static int CountSolutions(SudokuGrid puzzle, int limit) => CountSolutions(puzzle.Geometry, puzzle.Cells, limit);

    /// <summary><see cref="CountSolutions(SudokuGrid, int)"/> on raw cells, for the generator's many checks.</summary>
    internal static int CountSolutions(SudokuGeometry geometry, ReadOnlySpan<byte> cells, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var search = new Search(geometry, limit, random: null);
        search.Run(cells);
        return search.Solutions;
    }

    /// <summary>True when <paramref name="puzzle"/> has exactly one solution.</summary>
    public static bool HasUniqueSolution(SudokuGrid puzzle) => CountSolutions(puzzle, 2) == 1;

    /// <summary>A random complete grid: the search on an empty grid with each branch's digits in random order.</summary>
    public static SudokuGrid RandomSolution(SudokuGeometry geometry, Random random)
    {
        var search = new Search(geometry, limit: 1, random);
        search.Run(new byte[geometry.CellCount]);
        return new SudokuGrid(geometry, search.First!);
    }

    /// <summary>One search: per depth a copy of the candidate masks (0 for filled cells) and of the values.</summary>
    sealed class Search(SudokuGeometry geometry, int limit, Random? random)
    {
        readonly List<(int[] Candidates, byte[] Values)> levels = [];

        public int Solutions { get; private set; }
        public int DeadEnds { get; private set; }
        public byte[]? First { get; private set; }

        public void Run(ReadOnlySpan<byte> puzzle)
        {
            var (candidates, values) = Level(0);
            Array.Fill(candidates, geometry.AllDigits);
            Array.Clear(values);
            for (int cell = 0; cell < geometry.CellCount; cell++)
            {
                int digit = puzzle[cell];
                if (digit == 0) continue;
                if ((candidates[cell] & (1 << digit)) == 0) return;  // clashes with an earlier clue: no solution
                Place(candidates, values, cell, digit);
            }
            Explore(0);
        }

        (int[] Candidates, byte[] Values) Level(int depth)
        {
            while (levels.Count <= depth) levels.Add((new int[geometry.CellCount], new byte[geometry.CellCount]));
            return levels[depth];
        }

        void Explore(int depth)
        {
            var (candidates, values) = Level(depth);
            if (!Propagate(candidates, values))
            {
                DeadEnds++;
                return;
            }
            int branch = -1, fewest = int.MaxValue;
            for (int cell = 0; cell < values.Length && fewest > 2; cell++)
            {
                if (values[cell] != 0) continue;
                int count = BitOperations.PopCount((uint)candidates[cell]);
                if (count < fewest) (branch, fewest) = (cell, count);
            }
            if (branch < 0)
            {
                Solutions++;
                First ??= (byte[])values.Clone();
                return;
            }
            Span<int> digits = stackalloc int[fewest];
            for (int mask = candidates[branch], i = 0; mask != 0; mask &= mask - 1) digits[i++] = BitOperations.TrailingZeroCount(mask);
            random?.Shuffle(digits);
            var (nextCandidates, nextValues) = Level(depth + 1);
            foreach (int digit in digits)
            {
                candidates.CopyTo(nextCandidates, 0);
                values.CopyTo(nextValues, 0);
                Place(nextCandidates, nextValues, branch, digit);
                Explore(depth + 1);
                if (Solutions >= limit) return;
            }
        }

        void Place(int[] candidates, byte[] values, int cell, int digit)
        {
            values[cell] = (byte)digit;
            candidates[cell] = 0;
            int clear = ~(1 << digit);
            foreach (int peer in geometry.Peers[cell]) candidates[peer] &= clear;
        }

        /// <summary>Places naked and hidden singles until none are left; false on a contradiction.</summary>
        bool Propagate(int[] candidates, byte[] values)
        {
            for (bool changed = true; changed;)
            {
                changed = false;
                for (int cell = 0; cell < values.Length; cell++)
                {
                    if (values[cell] != 0) continue;
                    int mask = candidates[cell];
                    if (mask == 0) return false;
                    if ((mask & (mask - 1)) != 0) continue;
                    Place(candidates, values, cell, BitOperations.TrailingZeroCount(mask));
                    changed = true;
                }
                foreach (var unit in geometry.Units)
                {
                    int once = 0, twice = 0, placed = 0;
                    foreach (int cell in unit)
                    {
                        if (values[cell] != 0) { placed |= 1 << values[cell]; continue; }
                        twice |= once & candidates[cell];
                        once |= candidates[cell];
                    }
                    if ((once | placed) != geometry.AllDigits) return false;
                    for (int hidden = once & ~twice; hidden != 0; hidden &= hidden - 1)
                    {
                        int bit = hidden & -hidden;
                        int home = -1;
                        foreach (int cell in unit)
                            if (values[cell] == 0 && (candidates[cell] & bit) != 0) home = cell;
                        if (home < 0) return false;  // its only cell took another hidden digit of this unit
                        Place(candidates, values, home, BitOperations.TrailingZeroCount(bit));
                        changed = true;
                    }
                }
            }
            return true;
        }
    }
}
