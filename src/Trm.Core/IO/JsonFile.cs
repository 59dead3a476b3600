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

    /// <param name="what">What the file should be, e.g. "a fixture manifest".</param>
    /// <param name="hint">Said when the file is missing: what the folder should hold.</param>
    public static T Read<T>(string path, string what, string hint)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found: {hint}");
        if (new FileInfo(path).Length is var length && length > MaxFileBytes)
            throw new TrmException($"{path}: {length} bytes, more than the limit of {MaxFileBytes} for {what}; the file is damaged or not {what}.");
        try
        {
            using var stream = File.OpenRead(path);   // parsed as it is read: no copy of the whole text
            return JsonSerializer.Deserialize<T>(stream)
                ?? throw new TrmException($"{path}: empty file; expected {what}.");
        }
        catch (JsonException e)
        {
            throw new TrmException($"{path}: not valid as {what} ({e.Message}).", e);
        }
    }
}
