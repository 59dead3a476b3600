using System.CommandLine;

namespace Trm.Cli.Commands.Data;

/// <summary><c>trm data ...</c>: build the paper's datasets and generate puzzles offline.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Build puzzle datasets in the reference's format, or generate puzzles offline.");
        command.Subcommands.Add(GenerateMazeCommand.Create());
        command.Subcommands.Add(MazeCommand.Create());
        command.Subcommands.Add(ArcDataCommand.Create());
        command.Subcommands.Add(GenerateSudokuCommand.Create());
        command.Subcommands.Add(SudokuCommand.Create());
        return command;
    }
}
