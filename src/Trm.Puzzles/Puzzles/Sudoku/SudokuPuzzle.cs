namespace Trm.Puzzles.Sudoku;

/// <summary>
/// One puzzle as a row of a Sudoku-Extreme CSV: where it came from (<see cref="Source"/>), the
/// <see cref="Question"/> with blanks, its <see cref="Answer"/>, and its difficulty <see cref="Rating"/>
/// (a backtrack count; see <see cref="SudokuSolver.Solve"/>).
/// </summary>
public sealed record SudokuPuzzle(string Source, SudokuGrid Question, SudokuGrid Answer, int Rating)
{
    public SudokuGeometry Geometry => Question.Geometry;
}
