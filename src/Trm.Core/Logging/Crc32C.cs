using System.Numerics;

namespace Trm.Logging;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing.
/// Not <c>System.IO.Hashing.Crc32</c>, which is the IEEE polynomial; <see cref="BitOperations.Crc32C(uint, byte)"/>
/// is the raw Castagnoli update (SSE4.2 / ARM instruction where present), wrapped here with the usual ~0 in and out.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>TFRecord's masked form: rotate right by 15 and add a constant, since a CRC over bytes that hold CRCs is weak.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;
}
