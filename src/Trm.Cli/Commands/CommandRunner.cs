namespace Trm.Cli.Commands;

/// <summary>Runs a command body, turning user errors into a message on stderr and exit code 2.</summary>
public static class CommandRunner
{
    public const int UserError = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (TrmException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
    }
}
