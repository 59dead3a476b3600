namespace Trm.Rendering;

/// <summary>
/// Writes an animated GIF89a: one global palette for all frames (exact when the frames use at most 256 colours, else
/// the 256 most frequent with every other colour mapped to its nearest), LZW-compressed frames, a per-frame delay, and a
/// NETSCAPE2.0 extension that loops forever. Frames smaller than the first are drawn on the first's size in its top-left
/// pixel's colour.
/// </summary>
public static class GifEncoder
{
    const int MaxCodeBits = 12, MaxCode = (1 << MaxCodeBits) - 1;

    /// <param name="delays">Per frame, hundredths of a second before the next frame.</param>
    public static byte[] Encode(IReadOnlyList<Raster> frames, IReadOnlyList<int> delays)
    {
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame", nameof(frames));
        if (delays.Count != frames.Count) throw new ArgumentException($"{delays.Count} delays for {frames.Count} frames", nameof(delays));
        int width = frames.Max(f => f.Width), height = frames.Max(f => f.Height);
        if (width > ushort.MaxValue || height > ushort.MaxValue) throw new ArgumentException($"a GIF is at most 65535 pixels a side, not {width}x{height}", nameof(frames));
        var pixels = frames.Select(f => Pad(f.Pixels(), f.Width, f.Height, width, height)).ToList();
        var (palette, index) = Palette(pixels);
        int bits = Math.Max(1, (int)Math.Ceiling(Math.Log2(palette.Count)));

        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        WriteShort(output, width);
        WriteShort(output, height);
        output.WriteByte((byte)(0x80 | (bits - 1) << 4 | (bits - 1)));   // global palette of 2^bits entries, colour resolution bits
        output.WriteByte(0);                                             // background colour index
        output.WriteByte(0);                                             // square pixels
        for (int i = 0; i < 1 << bits; i++)
        {
            var colour = i < palette.Count ? palette[i] : Rgb.Black;
            output.WriteByte(colour.R);
            output.WriteByte(colour.G);
            output.WriteByte(colour.B);
        }
        output.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);   // loop forever

        for (int f = 0; f < frames.Count; f++)
        {
            output.Write([0x21, 0xF9, 0x04, 0x04]);   // graphic control: the frame stays (disposal 1), no transparency
            WriteShort(output, Math.Clamp(delays[f], 0, ushort.MaxValue));
            output.Write([0x00, 0x00]);
            output.WriteByte(0x2C);                     // image descriptor: whole screen, no local palette, not interlaced
            WriteShort(output, 0);
            WriteShort(output, 0);
            WriteShort(output, width);
            WriteShort(output, height);
            output.WriteByte(0);
            int minCodeSize = Math.Max(2, bits);
            output.WriteByte((byte)minCodeSize);
            WriteSubBlocks(output, Compress(pixels[f].Select(p => index(p)).ToArray(), minCodeSize));
        }
        output.WriteByte(0x3B);
        return output.ToArray();
    }

    static Rgb[] Pad(Rgb[] pixels, int width, int height, int toWidth, int toHeight)
    {
        if (width == toWidth && height == toHeight) return pixels;
        var padded = new Rgb[toWidth * toHeight];
        Array.Fill(padded, pixels[0]);
        for (int y = 0; y < height; y++) Array.Copy(pixels, y * width, padded, y * toWidth, width);
        return padded;
    }

    /// <summary>At most 256 colours, most frequent first, and each pixel colour's palette index.</summary>
    static (List<Rgb> Palette, Func<Rgb, byte> Index) Palette(IEnumerable<Rgb[]> frames)
    {
        var counts = new Dictionary<Rgb, long>();
        foreach (var frame in frames)
            foreach (var pixel in frame) counts[pixel] = counts.GetValueOrDefault(pixel) + 1;
        var palette = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.ToString(), StringComparer.Ordinal).Take(256).Select(kv => kv.Key).ToList();
        var index = new Dictionary<Rgb, byte>();
        for (int i = 0; i < palette.Count; i++) index[palette[i]] = (byte)i;
        return (palette, colour =>
        {
            if (index.TryGetValue(colour, out byte i)) return i;
            byte nearest = (byte)Enumerable.Range(0, palette.Count).MinBy(j => Distance(palette[j], colour));
            index[colour] = nearest;
            return nearest;
        });
    }

    static int Distance(Rgb a, Rgb b) => (a.R - b.R) * (a.R - b.R) + (a.G - b.G) * (a.G - b.G) + (a.B - b.B) * (a.B - b.B);

    /// <summary>
    /// GIF's variable-width LZW: codes start at minCodeSize + 1 bits and grow when the next free code no longer fits;
    /// a clear code starts a fresh table when it fills (4096 codes). Codes are packed least significant bit first.
    /// </summary>
    static byte[] Compress(byte[] indices, int minCodeSize)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        int codeBits = minCodeSize + 1, next = end + 1;
        var table = new Dictionary<int, int>();
        var bytes = new List<byte>();
        int buffer = 0, buffered = 0;

        void Emit(int code)
        {
            buffer |= code << buffered;
            buffered += codeBits;
            while (buffered >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                buffered -= 8;
            }
            // The decoder adds its table entry one code later than we do, so widen only once the last added code needs it.
            if (next >= 1 << codeBits && codeBits < MaxCodeBits) codeBits++;
        }

        Emit(clear);
        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            int key = prefix << 8 | indices[i];
            if (table.TryGetValue(key, out int code))
            {
                prefix = code;
                continue;
            }
            Emit(prefix);
            prefix = indices[i];
            if (next >= MaxCode)
            {
                Emit(clear);
                table.Clear();
                codeBits = minCodeSize + 1;
                next = end + 1;
            }
            else table[key] = next++;
        }
        Emit(prefix);
        Emit(end);
        if (buffered > 0) bytes.Add((byte)buffer);
        return [.. bytes];
    }

    static void WriteSubBlocks(Stream output, byte[] data)
    {
        for (int at = 0; at < data.Length; at += 255)
        {
            int length = Math.Min(255, data.Length - at);
            output.WriteByte((byte)length);
            output.Write(data, at, length);
        }
        output.WriteByte(0);
    }

    static void WriteShort(Stream output, int value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }
}
