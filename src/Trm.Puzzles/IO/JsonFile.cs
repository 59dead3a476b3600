using System.Text.Json;

namespace Trm.IO;

/// <summary>Reads a JSON file into a record, with errors that name the file and say what it should be; writes one atomically.</summary>
public static class JsonFile
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="value"/> as indented JSON, replacing the file only once it is complete.</summary>
    public static void Write<T>(string path, T value) =>
        AtomicOutput.WriteFile(path, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(value, Indented)));

    /// <summary>Largest file read (256 MiB): an ARC dataset's identifiers.json, the largest of these, is tens of MB.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>
    /// Parses a JSON file of at most <paramref name="maxBytes"/> (<paramref name="what"/> names it in the refusal) into a document,
    /// checking that it is valid UTF-8 first (<see cref="JsonDocument"/> checks only the strings it is asked for), so that every later
    /// read of it is safe; errors name the file.
    /// </summary>
    public static JsonDocument ReadDocument(string path, long maxBytes, string what)
    {
        var bytes = UserFile.ReadAllBytes(path, maxBytes, what);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new TrmException($"{path}: not valid UTF-8 text; the file is damaged or not JSON.");
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new TrmException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>A JSON value as an error message shows what was found: "a list of 3", "an object", or the value's text.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => $"a list of {element.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => element.GetRawText(),
    };

    /// <param name="what">What the file should be, e.g. "a fixture manifest".</param>
    /// <param name="hint">Said when the file is missing: what the folder should hold.</param>
    public static T Read<T>(string path, string what, string hint)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found: {hint}");
        try
        {
            using var stream = UserFile.OpenCapped(path, MaxFileBytes, what);   // parsed as it is read: no copy of the whole text
            return JsonSerializer.Deserialize<T>(stream)
                ?? throw new TrmException($"{path}: empty file; expected {what}.");
        }
        catch (JsonException e)
        {
            throw new TrmException($"{path}: not valid as {what} ({e.Message}).", e);
        }
    }
}
