namespace Trm.Puzzles;

/// <summary>An outcome concluded from one request's solution (a Sudoku's, a maze's), which it keeps.</summary>
public interface ISolvedFrom
{
    Solution Solution { get; }
}
