using Trm.Puzzles.Sudoku;

namespace Trm.Rendering;

/// <summary>Which cells of a Sudoku answer are wrong, for drawing.</summary>
public static class SudokuMistakes
{
    /// <summary>
    /// When the puzzle has exactly one solution: the filled cells whose digit differs from it. Otherwise (no or several
    /// solutions): the filled cells that repeat a digit in their row, column or box. Changed clues are always wrong; blanks never.
    /// </summary>
    public static bool[] Find(SudokuGeometry geometry, byte[] givens, byte[] digits)
    {
        var wrong = new bool[geometry.CellCount];
        var solution = UniqueSolution(geometry, givens);
        for (int i = 0; i < wrong.Length; i++)
        {
            if (digits[i] == 0) continue;
            wrong[i] = (givens[i] != 0 && digits[i] != givens[i]) || (solution is not null && digits[i] != solution[i]);
        }
        if (solution is not null) return wrong;
        foreach (var unit in geometry.Units)
            foreach (int a in unit)
                foreach (int b in unit)
                    if (a != b && digits[a] != 0 && digits[a] == digits[b]) wrong[a] = true;
        return wrong;
    }

    static SudokuGrid? UniqueSolution(SudokuGeometry geometry, byte[] givens)
    {
        if (givens.Any(v => v > geometry.Size)) return null;
        var puzzle = new SudokuGrid(geometry, givens);
        return SudokuSolver.CountSolutions(puzzle, 2) == 1 ? SudokuSolver.Solve(puzzle).Solution : null;
    }
}
