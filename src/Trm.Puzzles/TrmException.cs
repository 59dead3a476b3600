namespace Trm;

/// <summary>
/// An error caused by the user's input (a file, setting, field or shape) rather than by a bug.
/// The message names what was wrong, where, and what to do; the CLI prints it without a stack trace.
/// </summary>
public class TrmException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One unusable setting: the library's name for it (a parameter or property, e.g. <c>MaxSteps</c>) and what is wrong.</summary>
public sealed record SettingProblem(string Setting, string Problem);

/// <summary>
/// Settings of a library call that cannot be used, each named as the library names it, so that a C# caller reads
/// its own parameter names. A front end that exposes the settings under other names (the CLI's flags) prints
/// <see cref="Describe"/> with its own names.
/// </summary>
public sealed class TrmSettingsException : TrmException
{
    readonly Func<Func<string, string>, string> describe;

    public TrmSettingsException(IReadOnlyList<SettingProblem> problems) : this(name => Join(problems, name)) => Problems = problems;

    public TrmSettingsException(string setting, string problem) : this([new SettingProblem(setting, problem)]) { }

    /// <summary>A message that names settings anywhere in its text, each through the name function it is given,
    /// e.g. <c>name => $"{path} already exists; pass {name("Force")} to replace it."</c>.</summary>
    public TrmSettingsException(Func<Func<string, string>, string> describe) : base(describe(setting => setting)) => this.describe = describe;

    /// <summary>One entry per unusable setting; empty when the message is a sentence about settings rather than a list.</summary>
    public IReadOnlyList<SettingProblem> Problems { get; } = [];

    /// <summary>The message with each setting called by <paramref name="name"/> (e.g. <c>MaxSteps</c> -> its CLI flag).</summary>
    public string Describe(Func<string, string> name) => describe(name);

    static string Join(IReadOnlyList<SettingProblem> problems, Func<string, string> name) =>
        string.Join("; ", problems.Select(p => $"{name(p.Setting)} {p.Problem}")) + ".";
}
