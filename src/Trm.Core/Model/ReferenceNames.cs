using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trm.Model;

/// <summary>
/// Settings that are enums in C# and names in the reference's configs: each member carries its reference name in
/// <see cref="JsonStringEnumMemberNameAttribute"/> (<c>rope</c>, <c>bfloat16</c>, <c>stablemax_cross_entropy</c>).
/// </summary>
public static class ReferenceNames
{
    /// <summary>The reference's name of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Table<T>.Names[value];

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Table<T>.Names.Values.ToList();

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum
    {
        foreach (var (member, memberName) in Table<T>.Names)
            if (memberName == name) { value = member; return true; }
        value = default;
        return false;
    }

    /// <summary>Reads a name; an unknown one is refused naming <paramref name="setting"/> and the known names.</summary>
    public static T Parse<T>(string name, string setting) where T : struct, Enum =>
        TryParse<T>(name, out var value) ? value : throw new TrmSettingsException(setting, Problem<T>(name));

    /// <summary>"must be a, b or c (is 'x')".</summary>
    public static string Problem<T>(string name) where T : struct, Enum
    {
        var all = All<T>();
        return $"must be {string.Join(", ", all.Take(all.Count - 1))} or {all[^1]} (is '{name}')";
    }

    static class Table<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
            f => (T)f.GetValue(null)!,
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);
    }
}

/// <summary>Reads and writes an enum as its reference name; an unknown name is a <see cref="ReferenceNameException"/>.</summary>
public sealed class ReferenceNameConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new ReferenceNameException(ReferenceNames.Problem<T>(reader.TokenType.ToString()));
        return ReferenceNames.TryParse<T>(name, out var value) ? value : throw new ReferenceNameException(ReferenceNames.Problem<T>(name));
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(ReferenceNames.Of(value));
}

/// <summary>A config value that is not one of its setting's names; the message is the problem ("must be ... (is 'x')"), the path names the key.</summary>
public sealed class ReferenceNameException(string problem, string? path = null) : JsonException(problem, path, null, null);
