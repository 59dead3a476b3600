using System.CommandLine;
using Trm.Cli.Commands;

var root = new RootCommand("TRM.NET: Tiny Recursive Models (arXiv 2510.04871) in .NET.");
root.Subcommands.Add(VerifyReferenceCommand.Create());
return root.Parse(args).Invoke();
