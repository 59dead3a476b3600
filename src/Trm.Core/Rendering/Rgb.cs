using System.Globalization;

namespace Trm.Rendering;

/// <summary>An opaque 24-bit colour; <see cref="ToString"/> and <see cref="Parse"/> use <c>#RRGGBB</c>.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White { get; } = new(0xFF, 0xFF, 0xFF);
    public static Rgb Black { get; } = new(0, 0, 0);

    /// <summary>Reads <c>#RRGGBB</c>.</summary>
    public static Rgb Parse(string hex)
    {
        if (hex.Length != 7 || hex[0] != '#' || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value))
            throw new FormatException($"'{hex}' is not a colour of the form #RRGGBB");
        return new((byte)(value >> 16), (byte)(value >> 8), (byte)value);
    }

    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
