using System.CommandLine;
using Trm.Cli.Commands;
using Trm.Distributed;

int launched = 0;
int checkedEnvironment = CommandRunner.Run(() => (launched = ProcessGroup.LaunchedSize()) > 0 ? 0 : CommandRunner.UserError);   // a launcher's variables, checked
if (checkedEnvironment != 0) return checkedEnvironment;
if (launched > 1 && args.FirstOrDefault() != "train")
{
    Console.Error.WriteLine("error: only `trm train` runs as a data-parallel job of several processes; run other trm commands without mpirun or srun.");
    return CommandRunner.UserError;
}

var root = TrmCommand.Create();
var parse = root.Parse(args);
int exitCode = parse.Invoke();
return parse.Errors.Count > 0 ? CommandRunner.UserError : exitCode;   // a flag that does not parse is a user's error too
