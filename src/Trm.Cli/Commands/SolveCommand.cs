using System.CommandLine;

namespace Trm.Cli.Commands;

/// <summary><c>trm solve sudoku|maze|arc</c>: a trained model's answers, checked.</summary>
public static class SolveCommand
{
    public static Command Create() => new("solve", "Use a trained model on puzzles: prints the answer, checks it, and says how many supervision steps it took.")
    {
        SolveSudokuCommand.Create(),
        SolveMazeCommand.Create(),
        SolveArcCommand.Create(),
    };
}
