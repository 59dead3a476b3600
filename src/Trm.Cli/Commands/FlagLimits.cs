using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using Trm.Limits;

namespace Trm.Cli.Commands;

/// <summary>
/// Ties each numeric flag to the setting it sets in the one declaration of limits (<see cref="UserLimits.Settings"/>): a value
/// outside it is a parse error naming the flag and the range (exit 2) before the command runs. The generated limits test
/// asks <see cref="Of"/> for every numeric flag of every verb, so a flag added without a limit fails it.
/// </summary>
public static class FlagLimits
{
    static readonly ConditionalWeakTable<Option, Limit> Bound = new();

    /// <summary>This flag, checked against the declared limit of <paramref name="setting"/> when given.</summary>
    public static Option<T> Within<T>(this Option<T> option, string setting)
    {
        var limit = UserLimits.Setting(setting);
        Bound.AddOrUpdate(option, limit);
        option.Validators.Add(result =>
        {
            if (result.Implicit || Parsed(result) is not { } value) return;   // a default is within by declaration
            if (limit.Problem(Convert.ToDouble(value, CultureInfo.InvariantCulture)) is { } problem) result.AddError($"error: {option.Name} {problem.Problem}.");   // as trm's own refusals read
        });

        // The value, or default when it did not parse (the parser reports that itself).
        static T? Parsed(System.CommandLine.Parsing.OptionResult result)
        {
            try
            {
                return result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return default;
            }
        }
        return option;
    }

    /// <summary>The declared limit of <paramref name="option"/>; null when it has none.</summary>
    public static Limit? Of(Option option) => Bound.TryGetValue(option, out var limit) ? limit : null;
}
