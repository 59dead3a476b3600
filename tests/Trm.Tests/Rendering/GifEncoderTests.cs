using Trm.Rendering;

namespace Trm.Tests.Rendering;

public class GifEncoderTests
{
    [Fact]
    public void EveryFrameDecodesToExactlyItsPixelsWithItsDelay()
    {
        // Noise over 200 colours in large frames: the LZW table fills (4096 codes) and restarts many times.
        var random = new Random(5);
        var colours = Enumerable.Range(0, 200).Select(_ => new Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        var frames = new List<Raster>();
        try
        {
            for (int f = 0; f < 3; f++)
            {
                var raster = new Raster(97, 61, colours[0]);
                for (int y = 0; y < raster.Height; y++)
                    for (int x = 0; x < raster.Width; x++)
                        if (random.Next(3) > 0) raster.Fill(x, y, 1, 1, colours[random.Next(colours.Length)]);
                frames.Add(raster);
            }
            var (decoded, delays) = DecodedImage.Gif(GifEncoder.Encode(frames, [10, 20, 150]));

            Assert.Equal(3, decoded.Count);
            Assert.Equal([100, 200, 1500], delays);
            for (int f = 0; f < 3; f++)
            {
                Assert.Equal((97, 61), (decoded[f].Width, decoded[f].Height));
                var expected = frames[f].Pixels();
                for (int y = 0; y < 61; y++)
                    for (int x = 0; x < 97; x++) Assert.Equal(expected[y * 97 + x], decoded[f][x, y]);
            }
        }
        finally
        {
            foreach (var frame in frames) frame.Dispose();
        }
    }

    [Fact]
    public void MoreThan256ColoursKeepTheMostFrequentAndMapTheRestToTheNearestKeptOne()
    {
        var background = new Rgb(10, 20, 30);
        using var raster = new Raster(40, 20, background);
        for (int i = 0; i < 300; i++) raster.Fill(i % 40, 10 + i / 40, 1, 1, new Rgb((byte)(i % 256), (byte)(i / 256 * 100), 200));
        var original = raster.Pixels();
        var (frames, _) = DecodedImage.Gif(GifEncoder.Encode([raster], [5]));
        var decoded = Enumerable.Range(0, original.Length).Select(i => frames[0][i % 40, i / 40]).ToArray();

        var kept = decoded.Distinct().ToList();
        Assert.Equal(256, kept.Count);
        Assert.Equal(background, decoded[0]);   // the most frequent colour is exact
        static int Distance(Rgb a, Rgb b) => (a.R - b.R) * (a.R - b.R) + (a.G - b.G) * (a.G - b.G) + (a.B - b.B) * (a.B - b.B);
        for (int i = 0; i < original.Length; i++)
            Assert.Equal(kept.Min(k => Distance(k, original[i])), Distance(decoded[i], original[i]));
        Assert.Equal(45, original.Where((p, i) => decoded[i] != p).Count());   // 301 colours, 256 kept
    }

    [Fact]
    public void TheFileIsGif89aAndLoopsForever()
    {
        using var raster = new Raster(2, 2, Rgb.White);
        var bytes = GifEncoder.Encode([raster], [5]);
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(bytes, 0, 6));
        int netscape = bytes.AsSpan().IndexOf("NETSCAPE2.0"u8);
        Assert.True(netscape > 0);
        Assert.Equal([3, 1, 0, 0], bytes[(netscape + 11)..(netscape + 15)]);   // sub-block of 3: loop count 0 = forever
        Assert.Equal(0x3B, bytes[^1]);
    }
}
