namespace Trm.Rendering;

/// <summary>The files a picture can be written as, chosen by the output path's extension.</summary>
public enum ImageFormat
{
    Png,
    Gif,
    Html,
}

public static class ImageFormats
{
    /// <summary>The format of <paramref name="path"/> (<c>.png</c>, <c>.gif</c>, <c>.html</c>/<c>.htm</c>), refused unless in <paramref name="allowed"/>.</summary>
    public static ImageFormat FromPath(string path, params ImageFormat[] allowed)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        ImageFormat? format = extension switch
        {
            ".png" => ImageFormat.Png,
            ".gif" => ImageFormat.Gif,
            ".html" or ".htm" => ImageFormat.Html,
            _ => null,
        };
        if (format is { } f && allowed.Contains(f)) return f;
        var names = string.Join(", ", allowed.Select(a => "." + a.ToString().ToLowerInvariant()));
        throw new TrmException($"{path}: cannot write {(extension.Length == 0 ? "a file without an extension" : $"a {extension} file")} here; the output name must end in {names}.");
    }
}
