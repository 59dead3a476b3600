using System.Buffers.Binary;

namespace Trm.Logging;

/// <summary>
/// Writes scalars to a TensorBoard event file, <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;</c> in the run directory.
/// The file is a sequence of TFRecords, each an <c>Event</c> protobuf: first one with <c>file_version = "brain.Event:2"</c>,
/// then one per <see cref="AddScalars"/>. Every record is flushed, so a killed run keeps what it logged. Not thread-safe.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    // Field numbers from tensorboard/compat/proto/event.proto and summary.proto.
    const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    const int SummaryValue = 1, ValueTag = 1, ValueSimpleValue = 2;

    readonly FileStream stream;
    readonly TimeProvider clock;

    public string FilePath { get; }

    /// <param name="clock">Source of wall_time and the file name's seconds; the system clock unless a test fixes it.</param>
    public TensorBoardWriter(string runDirectory, TimeProvider? clock = null)
    {
        this.clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(runDirectory);
        var name = $"events.out.tfevents.{this.clock.GetUtcNow().ToUnixTimeSeconds()}.{Environment.MachineName}";
        FilePath = Path.Combine(runDirectory, name);
        // A second writer in the same second gets a suffix rather than overwriting; TensorBoard reads any name holding "tfevents".
        for (int n = 1; File.Exists(FilePath); n++) FilePath = Path.Combine(runDirectory, $"{name}.{n}");
        stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);

        var header = NewEvent();
        header.WriteString(EventFileVersion, "brain.Event:2");
        WriteRecord(header.ToArray());
    }

    /// <summary>One Event at <paramref name="step"/> holding a simple (float32) value per tag, e.g. "train/loss"; nothing when empty.</summary>
    public void AddScalars(long step, IReadOnlyDictionary<string, double> values)
    {
        if (values.Count == 0) return;
        var summary = new ProtobufWriter();
        foreach (var (tag, value) in values)
        {
            var entry = new ProtobufWriter();
            entry.WriteString(ValueTag, tag);
            entry.WriteFloat(ValueSimpleValue, (float)value);
            summary.WriteMessage(SummaryValue, entry);
        }
        var record = NewEvent();
        record.WriteInt64(EventStep, step);
        record.WriteMessage(EventSummary, summary);
        WriteRecord(record.ToArray());
    }

    public void Dispose() => stream.Dispose();

    ProtobufWriter NewEvent()
    {
        var record = new ProtobufWriter();
        record.WriteDouble(EventWallTime, (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds);
        return record;
    }

    /// <summary>TFRecord framing: uint64 length, masked CRC-32C of those 8 bytes, data, masked CRC-32C of the data (all little-endian).</summary>
    void WriteRecord(ReadOnlySpan<byte> data)
    {
        var framed = new byte[8 + 4 + data.Length + 4];
        var span = framed.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C.Mask(Crc32C.Compute(span[..8])));
        data.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], Crc32C.Mask(Crc32C.Compute(data)));
        stream.Write(framed);
        stream.Flush();
    }
}
