using System.CommandLine;

namespace Trm.Cli.Commands;

/// <summary>Runs a command body, turning user errors into a message on stderr and exit code 2.</summary>
public static class CommandRunner
{
    public const int UserError = 2;

    /// <summary>A flags map for <see cref="Run"/>: each library setting name with the option or argument that sets it.</summary>
    public static IReadOnlyDictionary<string, string> Flags(params (string Setting, Symbol Flag)[] settings) =>
        settings.ToDictionary(s => s.Setting, s => s.Flag.Name);

    /// <param name="flags">The library's setting names (e.g. <c>MaxSteps</c>) and the flags this command calls them by
    /// (<c>--max-steps</c>), so that a refused setting is reported by its flag.</param>
    public static int Run(Func<int> body, IReadOnlyDictionary<string, string>? flags = null)
    {
        try
        {
            return body();
        }
        catch (TrmSettingsException e)
        {
            Console.Error.WriteLine($"error: {e.Describe(setting => flags?.GetValueOrDefault(setting) ?? setting)}");
            return UserError;
        }
        catch (TrmException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
    }
}
