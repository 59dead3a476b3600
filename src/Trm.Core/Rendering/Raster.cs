using SkiaSharp;

namespace Trm.Rendering;

/// <summary>
/// A picture being drawn: opaque RGB pixels (SkiaSharp underneath) with the few operations the puzzle pictures need,
/// filled rectangles without anti-aliasing (so a cell is exactly its colour), text, pasting another raster, and PNG.
/// </summary>
public sealed class Raster : IDisposable
{
    /// <summary>The largest width or height a raster may have (a guard against layouts that run away).</summary>
    public const int MaxSide = 16_384;
    /// <summary>The most pixels a raster may have (32 M, 128 MB of RGBA): a picture of a puzzle needs far fewer.</summary>
    public const long MaxPixels = 32L << 20;

    static readonly Lazy<SKTypeface> Regular = new(() => Typeface(SKFontStyle.Normal));
    static readonly Lazy<SKTypeface> Bold = new(() => Typeface(SKFontStyle.Bold));

    readonly SKBitmap bitmap;
    readonly SKCanvas canvas;

    public Raster(int width, int height, Rgb background)
    {
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide || (long)width * height > MaxPixels)
            throw new TrmException($"a picture of {width}x{height} pixels is beyond the limits of 1..{MaxSide} pixels a side and {MaxPixels} pixels in all; draw a smaller puzzle or fewer steps.");
        bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        canvas = new SKCanvas(bitmap);
        canvas.Clear(Skia(background));
    }

    public int Width => bitmap.Width;
    public int Height => bitmap.Height;

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public Rgb this[int x, int y]
    {
        get
        {
            canvas.Flush();
            var colour = bitmap.GetPixel(x, y);
            return new(colour.Red, colour.Green, colour.Blue);
        }
    }

    /// <summary>Fills the rectangle with its top-left pixel at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void Fill(int x, int y, int width, int height, Rgb colour)
    {
        using var paint = new SKPaint { Color = Skia(colour), Style = SKPaintStyle.Fill, IsAntialias = false };
        canvas.DrawRect(SKRect.Create(x, y, width, height), paint);
    }

    /// <summary>A frame <paramref name="thickness"/> pixels wide just inside the rectangle.</summary>
    public void Outline(int x, int y, int width, int height, int thickness, Rgb colour)
    {
        Fill(x, y, width, thickness, colour);
        Fill(x, y + height - thickness, width, thickness, colour);
        Fill(x, y, thickness, height, colour);
        Fill(x + width - thickness, y, thickness, height, colour);
    }

    /// <summary>A straight line, anti-aliased, solid or dashed.</summary>
    public void Line(float x0, float y0, float x1, float y1, float width, Rgb colour, bool dashed = false)
    {
        using var dash = dashed ? SKPathEffect.CreateDash([6, 4], 0) : null;
        using var paint = new SKPaint { Color = Skia(colour), Style = SKPaintStyle.Stroke, StrokeWidth = width, IsAntialias = true, PathEffect = dash };
        canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>
    /// Writes <paramref name="text"/> with its middle at height <paramref name="middleY"/>, starting at <paramref name="x"/>
    /// or centred on it, in DejaVu Sans (embedded in the library).
    /// </summary>
    public void Text(string text, float x, float middleY, float size, Rgb colour, bool centred = false, bool bold = false)
    {
        using var paint = new SKPaint
        {
            Color = Skia(colour), IsAntialias = true, TextSize = size, Typeface = bold ? Bold.Value : Regular.Value,
            TextAlign = centred ? SKTextAlign.Center : SKTextAlign.Left,
        };
        var metrics = paint.FontMetrics;
        canvas.DrawText(text, x, middleY - (metrics.Ascent + metrics.Descent) / 2, paint);
    }

    /// <summary>Copies <paramref name="source"/> with its top-left pixel at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void Draw(Raster source, int x, int y)
    {
        source.canvas.Flush();
        canvas.DrawBitmap(source.bitmap, x, y);
    }

    /// <summary>The pixels row by row, top to bottom.</summary>
    public Rgb[] Pixels()
    {
        canvas.Flush();
        var bytes = bitmap.GetPixelSpan();
        var pixels = new Rgb[Width * Height];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = new(bytes[4 * i], bytes[4 * i + 1], bytes[4 * i + 2]);
        return pixels;
    }

    /// <summary>The picture as a PNG file (8-bit RGB, lossless).</summary>
    public byte[] EncodePng()
    {
        canvas.Flush();
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        canvas.Dispose();
        bitmap.Dispose();
    }

    static SKColor Skia(Rgb colour) => new(colour.R, colour.G, colour.B);

    // DejaVu Sans ships inside the library (Rendering/Fonts, with its licence), so pictures look the same on machines without fonts.
    static SKTypeface Typeface(SKFontStyle style)
    {
        var name = style.Weight >= (int)SKFontStyleWeight.Bold ? "fonts/DejaVuSans-Bold.ttf" : "fonts/DejaVuSans.ttf";
        using var stream = typeof(Raster).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded font {name} is missing from the build");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        using var data = SKData.CreateCopy(bytes.ToArray());
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"the embedded font {name} could not be read");
    }
}
