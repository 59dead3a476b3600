using SkiaSharp;
using Trm.Rendering;

namespace Trm.Tests.Rendering;

/// <summary>
/// A PNG or GIF frame decoded by SkiaSharp's decoders (independent of our GIF encoder), with exact pixel colours.
/// </summary>
public sealed class DecodedImage(int width, int height, byte[] rgba)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    public Rgb this[int x, int y]
    {
        get
        {
            int i = 4 * (y * Width + x);
            return new(rgba[i], rgba[i + 1], rgba[i + 2]);
        }
    }

    public static DecodedImage Png(string path) => Png(File.ReadAllBytes(path));

    public static DecodedImage Png(byte[] bytes)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes)) ?? throw new InvalidDataException("not an image SkiaSharp can decode");
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        return Frame(codec, 0);
    }

    /// <summary>Every frame of a GIF, and each frame's delay in milliseconds.</summary>
    public static (IReadOnlyList<DecodedImage> Frames, IReadOnlyList<int> Delays) Gif(byte[] bytes)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes)) ?? throw new InvalidDataException("not an image SkiaSharp can decode");
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        var frames = Enumerable.Range(0, Math.Max(1, codec.FrameCount)).Select(i => Frame(codec, i)).ToList();
        return (frames, [.. codec.FrameInfo.Select(f => f.Duration)]);
    }

    static DecodedImage Frame(SKCodec codec, int index)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(index)));
        var rgba = bitmap.GetPixelSpan().ToArray();
        return new(info.Width, info.Height, rgba);
    }
}
