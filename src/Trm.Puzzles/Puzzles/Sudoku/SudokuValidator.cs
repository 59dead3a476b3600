namespace Trm.Puzzles.Sudoku;

/// <summary>Checks answers: a solution is a complete grid with every digit once per row, column and box.</summary>
public static class SudokuValidator
{
    /// <summary>True when <paramref name="grid"/> is complete and no unit repeats a digit.</summary>
    public static bool IsSolution(SudokuGrid grid) => Problem(grid) is null;

    /// <summary>True when <paramref name="answer"/> keeps every clue of <paramref name="question"/> (same geometry, each non-blank cell equal).</summary>
    public static bool IsConsistent(SudokuGrid question, SudokuGrid answer) => ConsistencyProblem(question, answer) is null;

    /// <summary>True when <paramref name="answer"/> is a solution that keeps every clue of <paramref name="question"/>.</summary>
    public static bool Solves(SudokuGrid question, SudokuGrid answer) => IsConsistent(question, answer) && IsSolution(answer);

    /// <summary>Why <paramref name="grid"/> is not a solution (the first blank or repeated digit; rows, columns and boxes counted from 1), or null when it is.</summary>
    public static string? Problem(SudokuGrid grid)
    {
        var geometry = grid.Geometry;
        for (int cell = 0; cell < geometry.CellCount; cell++)
            if (grid[cell] == 0) return $"cell (row {geometry.Row(cell) + 1}, column {geometry.Column(cell) + 1}) is blank";
        string[] kinds = ["row", "column", "box"];
        for (int u = 0; u < geometry.Units.Count; u++)
        {
            int seen = 0;
            foreach (int cell in geometry.Units[u])
            {
                int bit = 1 << grid[cell];
                if ((seen & bit) != 0) return $"{kinds[u / geometry.Size]} {u % geometry.Size + 1} repeats digit {grid[cell]}";
                seen |= bit;
            }
        }
        return null;
    }

    /// <summary>Why <paramref name="answer"/> does not keep <paramref name="question"/>'s clues (the first changed cell, counted from 1), or null when it does.</summary>
    public static string? ConsistencyProblem(SudokuGrid question, SudokuGrid answer)
    {
        if (question.Geometry != answer.Geometry) return $"a {answer.Geometry} answer cannot answer a {question.Geometry} question";
        var geometry = question.Geometry;
        for (int cell = 0; cell < geometry.CellCount; cell++)
            if (question[cell] != 0 && answer[cell] != question[cell])
                return $"cell (row {geometry.Row(cell) + 1}, column {geometry.Column(cell) + 1}) has clue {question[cell]} but answer {answer[cell]}";
        return null;
    }
}
