using System.Buffers.Binary;
using Google.Protobuf;

namespace Trm.Tests.Logging;

/// <summary>A TensorBoard <c>Event</c> as decoded by <see cref="EventFileReader"/>; fields absent from the record keep their defaults.</summary>
public sealed record DecodedEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Values);

/// <summary>
/// Reads an event file independently of the writer: TFRecord framing and masked CRC-32C written out here from the spec
/// (bitwise CRC, not the library's), protobuf fields decoded with Google.Protobuf's <see cref="CodedInputStream"/>.
/// Throws <see cref="InvalidDataException"/> on a bad CRC or a truncated record.
/// </summary>
public static class EventFileReader
{
    public static List<DecodedEvent> Read(byte[] file)
    {
        var events = new List<DecodedEvent>();
        for (int at = 0; at < file.Length;)
        {
            if (file.Length - at < 12) throw new InvalidDataException($"truncated record header at byte {at}");
            var lengthBytes = file.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8, 4)) != MaskedCrc(lengthBytes))
                throw new InvalidDataException($"length CRC mismatch at byte {at}");
            if ((ulong)(file.Length - at - 16) < length) throw new InvalidDataException($"truncated record data at byte {at}");
            var data = file.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length, 4)) != MaskedCrc(data))
                throw new InvalidDataException($"data CRC mismatch at byte {at}");
            events.Add(DecodeEvent(data.ToArray()));
            at += 16 + (int)length;
        }
        return events;
    }

    /// <summary>CRC-32C one bit at a time: reflected Castagnoli polynomial 0x82F63B78, ~0 in and out.</summary>
    public static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = BitwiseCrc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8);
    }

    // event.proto: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5 (Summary).
    static DecodedEvent DecodeEvent(byte[] data)
    {
        var input = new CodedInputStream(data);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<(string, float)>();
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: wallTime = input.ReadDouble(); break;
                case 2: step = input.ReadInt64(); break;
                case 3: fileVersion = input.ReadString(); break;
                case 5: values.AddRange(DecodeSummary(input.ReadBytes().ToByteArray())); break;
                default: throw new InvalidDataException($"unexpected Event field {WireFormat.GetTagFieldNumber(tag)}");
            }
        }
        return new DecodedEvent(wallTime, step, fileVersion, values);
    }

    // summary.proto: Summary.value = 1 (repeated Value); Value.tag = 1 (string), Value.simple_value = 2 (float).
    static IEnumerable<(string, float)> DecodeSummary(byte[] data)
    {
        var summary = new CodedInputStream(data);
        for (uint tag; (tag = summary.ReadTag()) != 0;)
        {
            Assert.Equal(1, WireFormat.GetTagFieldNumber(tag));
            var value = new CodedInputStream(summary.ReadBytes().ToByteArray());
            string name = "";
            float simple = float.NaN;
            for (uint field; (field = value.ReadTag()) != 0;)
            {
                if (WireFormat.GetTagFieldNumber(field) == 1) name = value.ReadString();
                else if (WireFormat.GetTagFieldNumber(field) == 2) simple = value.ReadFloat();
                else throw new InvalidDataException($"unexpected Value field {WireFormat.GetTagFieldNumber(field)}");
            }
            yield return (name, simple);
        }
    }
}
