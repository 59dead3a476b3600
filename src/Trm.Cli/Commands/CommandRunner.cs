using System.CommandLine;

namespace Trm.Cli.Commands;

/// <summary>
/// Runs a command body: a user's error (a <see cref="TrmException"/>, or a file the system will not let us read or write)
/// becomes one line on stderr and exit code 2; anything else is a bug, one line and exit code 1, with the stack trace
/// written to a file for the report.
/// </summary>
public static class CommandRunner
{
    public const int UserError = 2, Bug = 1;

    /// <summary>A flags map for <see cref="Run"/>: each library setting name with the option or argument that sets it.</summary>
    public static IReadOnlyDictionary<string, string> Flags(params (string Setting, Symbol Flag)[] settings) =>
        settings.ToDictionary(s => s.Setting, s => s.Flag.Name);

    /// <param name="flags">The library's setting names (e.g. <c>MaxSteps</c>) and the flags this command calls them by
    /// (<c>--max-steps</c>), so that a refused setting is reported by its flag.</param>
    /// <param name="who">Said after "error" (e.g. " (rank 1 of 2)"), for processes of a job.</param>
    public static int Run(Func<int> body, IReadOnlyDictionary<string, string>? flags = null, string who = "")
    {
        try
        {
            return body();
        }
        catch (TrmSettingsException e)
        {
            Console.Error.WriteLine($"error{who}: {e.Describe(setting => flags?.GetValueOrDefault(setting) ?? setting)}");
            return UserError;
        }
        catch (TrmException e)
        {
            Console.Error.WriteLine($"error{who}: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not EndOfStreamException)
        {
            // The system refused a path (permissions, a full disk, a name that is a file where a folder belongs): its message names the path.
            Console.Error.WriteLine($"error{who}: {e.Message}");
            return UserError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error{who}: internal error ({e.GetType().Name}: {FirstLine(e.Message)}); this is a bug in trm, please report it{CrashReport(e)}.");
            return Bug;
        }
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Writes the command line and stack trace to a file in the temporary folder; returns " with FILE", or "" when even that fails.</summary>
    static string CrashReport(Exception e)
    {
        try
        {
            var path = Path.Combine(Path.GetTempPath(), $"trm-crash-{DateTime.Now:yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
            File.WriteAllText(path, $"trm {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n{typeof(CommandRunner).Assembly.GetName().Version}\n\n{e}\n");
            return $" with {path}";
        }
        catch (Exception)
        {
            return "";
        }
    }
}
