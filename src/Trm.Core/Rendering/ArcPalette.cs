namespace Trm.Rendering;

/// <summary>The standard ARC colours: 0 black, 1 blue, 2 red, 3 green, 4 yellow, 5 grey, 6 magenta, 7 orange, 8 light blue, 9 maroon.</summary>
public static class ArcPalette
{
    public static IReadOnlyList<Rgb> Colours { get; } =
    [
        Rgb.Parse("#000000"), Rgb.Parse("#0074D9"), Rgb.Parse("#FF4136"), Rgb.Parse("#2ECC40"), Rgb.Parse("#FFDC00"),
        Rgb.Parse("#AAAAAA"), Rgb.Parse("#F012BE"), Rgb.Parse("#FF851B"), Rgb.Parse("#7FDBFF"), Rgb.Parse("#870C25"),
    ];

    /// <summary>The lines between cells of an ARC grid.</summary>
    public static Rgb GridLines { get; } = Rgb.Parse("#555555");

    /// <summary>The frame drawn inside a cell that changed since the previous step.</summary>
    public static Rgb Changed { get; } = Rgb.White;

    public static Rgb Colour(int value) => value is >= 0 and <= 9
        ? Colours[value]
        : throw new ArgumentOutOfRangeException(nameof(value), $"ARC colours are 0..9, not {value}");
}
