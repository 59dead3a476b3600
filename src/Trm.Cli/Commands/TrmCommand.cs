using System.CommandLine;
using Trm.Cli.Commands.Data;

namespace Trm.Cli.Commands;

/// <summary>The <c>trm</c> command with every verb: what the program parses, and what the generated limits test walks.</summary>
public static class TrmCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("TRM.NET: Tiny Recursive Models (arXiv 2510.04871) in .NET.");
        root.Subcommands.Add(VerifyReferenceCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(ScalingCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }
}
