using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trm.Limits;

/// <summary>What a value is, for its check and for the extremes the generated limits test tries.</summary>
public enum ValueKind
{
    /// <summary>A whole number within [Min, Max].</summary>
    Integer,
    /// <summary>A finite number within [Min, Max] (or the open ends <see cref="Limit.MinOpen"/>, <see cref="Limit.MaxOpen"/>).</summary>
    Number,
    /// <summary>A string of Min to Max characters, without NUL.</summary>
    Text,
    /// <summary>A list of Min to Max strings, none empty or holding NUL.</summary>
    TextList,
    /// <summary>A list of Min to Max mappings (their keys are checked where they are read).</summary>
    List,
    /// <summary>true or false.</summary>
    Boolean,
}

/// <summary>
/// One value a user sets, with its range: a config key (<c>arch.hidden_size</c>), a <c>dataset.json</c> field, a library
/// setting that a flag sets (<c>BatchSize</c>), an environment variable. <see cref="Required"/>: a file must hold it;
/// <see cref="Nullable"/>: null is allowed (the default applies). <see cref="Advice"/> says what to do when it is refused.
/// </summary>
public sealed record Limit(string Name, ValueKind Kind, double Min, double Max, bool Nullable = false, bool Required = false, string Advice = "")
{
    /// <summary>The lower end itself is outside (e.g. <c>rms_norm_eps</c> &gt; 0).</summary>
    public bool MinOpen { get; init; }
    /// <summary>The upper end itself is outside (e.g. <c>beta2</c> &lt; 1).</summary>
    public bool MaxOpen { get; init; }

    public static Limit Integer(string name, long min, long max, string advice = "") => new(name, ValueKind.Integer, min, max, Advice: advice);
    public static Limit Number(string name, double min, double max, string advice = "") => new(name, ValueKind.Number, min, max, Advice: advice);
    public static Limit Text(string name, int maxLength) => new(name, ValueKind.Text, 1, maxLength);
    public static Limit TextList(string name, int minCount, int maxCount, string advice = "") => new(name, ValueKind.TextList, minCount, maxCount, Advice: advice);
    public static Limit List(string name, int maxCount) => new(name, ValueKind.List, 0, maxCount);
    public static Limit Boolean(string name) => new(name, ValueKind.Boolean, 0, 1);

    public Limit OrNull() => this with { Nullable = true };
    public Limit InFile() => this with { Required = true };

    /// <summary>The range in words: "an integer from 1 to 4096", "a number above 0 and below 1".</summary>
    public string Range => Kind switch
    {
        ValueKind.Integer => $"an integer from {Show(Min)} to {Show(Max)}",
        ValueKind.Number => $"a number {(MinOpen ? "above" : "from")} {Show(Min)} {(MaxOpen ? "and below" : MinOpen ? "and at most" : "to")} {Show(Max)}",
        ValueKind.Text => $"text of {Show(Min)} to {Show(Max)} characters",
        ValueKind.TextList => $"a list of {Show(Min)} to {Show(Max)} names",
        ValueKind.List => $"a list of at most {Show(Max)} mappings",
        _ => "true or false",
    } + (Nullable ? " or null" : "");

    /// <summary>What is wrong with <paramref name="value"/> as a config or <c>dataset.json</c> holds it; null when it is within the limit.</summary>
    public SettingProblem? Problem(JsonNode? value)
    {
        if (value is null) return Nullable ? null : Refuse("null");
        return Kind switch
        {
            // The JSON text, whatever number type the node wraps (a bound int, a parsed element, a YAML scalar).
            ValueKind.Integer or ValueKind.Number => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Problem(number) : Refuse(Quote(value)),
            ValueKind.Text => value is JsonValue t && t.TryGetValue<string>(out var text) ? TextProblem(text) : Refuse(Quote(value)),
            ValueKind.TextList or ValueKind.List => value is JsonArray array ? ListProblem(array) : Refuse(Quote(value)),
            _ => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : Refuse(Quote(value)),
        };
    }

    /// <summary>What is wrong with a number (NaN and infinities are never within a limit); null when it is within.</summary>
    public SettingProblem? Problem(double value)
    {
        bool within = double.IsFinite(value) && (MinOpen ? value > Min : value >= Min) && (MaxOpen ? value < Max : value <= Max)
            && (Kind != ValueKind.Integer || Math.Floor(value) == value);
        return within ? null : Refuse(Show(value));
    }

    /// <summary>A nullable setting's value: null is within the limit when <see cref="Nullable"/>.</summary>
    public SettingProblem? Problem(double? value) => value is { } v ? Problem(v) : Nullable ? null : Refuse("unset");

    /// <summary>Throws a <see cref="TrmSettingsException"/> naming this setting when <paramref name="value"/> is outside the limit.</summary>
    public void Check(double? value)
    {
        if (Problem(value) is { } problem) throw new TrmSettingsException([problem]);
    }

    SettingProblem? TextProblem(string text) =>
        text.Length < Min || text.Length > Max || text.Contains('\0') ? Refuse(text.Length > 40 ? $"{text.Length} characters" : $"'{text.Replace("\0", "\\0")}'") : null;

    SettingProblem? ListProblem(JsonArray array)
    {
        if (array.Count < Min || array.Count > Max) return Refuse($"{array.Count} entries");
        if (Kind == ValueKind.List)
            return array.FirstOrDefault(item => item is not JsonObject) is { } odd ? Refuse($"an entry {Quote(odd)}") : array.Any(item => item is null) ? Refuse("an entry null") : null;
        foreach (var item in array)
            if (item is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length is 0 or > 4096 || text.Contains('\0'))
                return Refuse($"an entry {(item is null ? "null" : Quote(item))}");
        return null;
    }

    SettingProblem Refuse(string actual) => new(Name, $"must be {Range} (is {actual}){(Advice.Length > 0 ? "; " + Advice : "")}");

    static string Quote(JsonNode node)
    {
        var json = node.ToJsonString();
        return json.Length > 40 ? json[..40] + "..." : json;
    }

    static string Show(double value) => Math.Abs(value) < 1e15 && Math.Floor(value) == value
        ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);
}
