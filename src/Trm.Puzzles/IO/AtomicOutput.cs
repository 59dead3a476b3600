namespace Trm.IO;

/// <summary>
/// Output that appears complete or not at all: it is written to a hidden temporary sibling
/// (<c>.name.partial-xxxxxxxx</c>) that is renamed into place only when the writer returns, and
/// deleted when it throws.
/// </summary>
public static class AtomicOutput
{
    /// <summary>Refuses a path that already holds a file or directory.</summary>
    public static void RequireAbsent(string path, string hint = "remove it or choose another output directory")
    {
        if (File.Exists(path) || Directory.Exists(path)) throw new TrmException($"{path} already exists; {hint}.");
    }

    /// <summary>A fresh temporary sibling path of <paramref name="path"/> (its parent is created).</summary>
    public static string TemporarySibling(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        return Sibling(full, Partial);
    }

    /// <summary>Writes a file through <paramref name="write"/>(temporary path); an existing file is replaced.</summary>
    public static T WriteFile<T>(string path, Func<string, T> write)
    {
        var temporary = TemporarySibling(path);
        try
        {
            var result = write(temporary);
            File.Move(temporary, Path.GetFullPath(path), overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc cref="WriteFile{T}"/>
    public static void WriteFile(string path, Action<string> write) => WriteFile(path, temporary =>
    {
        write(temporary);
        return true;
    });

    /// <summary>
    /// Fills a directory through <paramref name="write"/>(temporary directory). An existing one is replaced when
    /// <paramref name="replace"/>, never removed before its successor is complete: it is renamed aside
    /// (<c>.name.replaced-xxxxxxxx</c>), the new one renamed into place, and only then the old one deleted;
    /// <see cref="Recover"/> puts it back if the process dies between the two renames.
    /// </summary>
    public static void WriteDirectory(string directory, Action<string> write, bool replace = false)
    {
        var full = Path.GetFullPath(directory);
        var temporary = TemporarySibling(full);
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            string? aside = null;
            if (replace && Directory.Exists(full))
            {
                aside = Sibling(full, Replaced);
                Directory.Move(full, aside);
            }
            Directory.Move(temporary, full);
            if (aside is not null) Directory.Delete(aside, recursive: true);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>Deletes a directory without ever leaving it half deleted under its own name: renamed to a temporary sibling first.</summary>
    public static void DeleteDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        var doomed = TemporarySibling(full);
        Directory.Move(full, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>
    /// Cleans up after a process that died while writing into <paramref name="parent"/>: deletes the temporaries
    /// (<c>.name.partial-*</c>), and renames a replaced directory (<c>.name.replaced-*</c>) back when its successor never
    /// arrived (deleting it otherwise). Returns the names removed or restored.
    /// </summary>
    public static IReadOnlyList<string> Recover(string parent)
    {
        var done = new List<string>();
        if (!Directory.Exists(parent)) return done;
        foreach (var entry in Directory.EnumerateFileSystemEntries(parent, ".*").Order())
        {
            var name = Path.GetFileName(entry);
            foreach (var kind in (string[])[Partial, Replaced])
            {
                int at = name.LastIndexOf($".{kind}-", StringComparison.Ordinal);
                if (at <= 1) continue;
                var original = Path.Combine(parent, name[1..at]);
                bool restore = kind == Replaced && !File.Exists(original) && !Directory.Exists(original) && Directory.Exists(entry);
                if (restore) Directory.Move(entry, original);
                else if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                done.Add(name);
                break;
            }
        }
        return done;
    }

    const string Partial = "partial", Replaced = "replaced";

    static string Sibling(string full, string kind) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{kind}-{Guid.NewGuid().ToString("N")[..8]}");
}
