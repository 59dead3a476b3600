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
        return Path.Combine(parent, $".{Path.GetFileName(full)}.partial-{Guid.NewGuid().ToString("N")[..8]}");
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

    /// <summary>Fills a directory through <paramref name="write"/>(temporary directory); an existing one is replaced when <paramref name="replace"/>.</summary>
    public static void WriteDirectory(string directory, Action<string> write, bool replace = false)
    {
        var full = Path.GetFullPath(directory);
        var temporary = TemporarySibling(full);
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            if (replace && Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }
}
