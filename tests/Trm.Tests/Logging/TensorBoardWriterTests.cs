using Trm.Logging;

namespace Trm.Tests.Logging;

public class TensorBoardWriterTests
{
    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Reads the file while the writer may still hold it open, as TensorBoard does.</summary>
    static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void WritesTheSameBytesAsAnotherTensorBoardWriter()
    {
        // Expected bytes from tensorboard_logger's test_serialization (wall time 256.5, 'v/1' = 1.5 at step 1, 'v/22' = 16 at step 2),
        // whose framing and CRCs come from TensorFlow's record writer.
        byte[] expected = Convert.FromHexString(
            "1800000000000000A37F4B220900000000000870401A0D627261696E2E4576656E743A32BC98212B" +
            "19000000000000008BF1082809000000000008704010012A0C0A0A0A03762F31150000C03F2CECC087" +
            "1A00000000000000129BD82D09000000000008704010022A0D0A0B0A04762F323215000080418FA3B688");
        using var run = new TempDirectory();
        using (var writer = new TensorBoardWriter(run.Path, new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(256.5))))
        {
            writer.AddScalars(1, new Dictionary<string, double> { ["v/1"] = 1.5 });
            writer.AddScalars(2, new Dictionary<string, double> { ["v/22"] = 16.0 });
        }
        Assert.Equal(expected, File.ReadAllBytes(Assert.Single(Directory.GetFiles(run.Path))));
    }

    [Fact]
    public void AnIndependentReaderDecodesWhatWasWritten()
    {
        using var run = new TempDirectory();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        using var writer = new TensorBoardWriter(run.Path);
        writer.AddScalars(0, new Dictionary<string, double> { ["train/loss"] = 2.25, ["train/accuracy"] = 0.1 });
        writer.AddScalars(1L << 40, new Dictionary<string, double> { ["eval/exact_accuracy"] = -3.5e-8, ["lr"] = 1e-4, ["nan"] = double.NaN });
        writer.AddScalars(5, new Dictionary<string, double>());   // writes nothing
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 0.001;

        // Read while the writer is still open: each record must already be flushed.
        var events = EventFileReader.Read(ReadShared(writer.FilePath));

        Assert.Equal(3, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Empty(events[0].Values);
        Assert.All(events, e => Assert.InRange(e.WallTime, before, after));

        Assert.Null(events[1].FileVersion);
        Assert.Equal(0, events[1].Step);
        Assert.Equal([("train/loss", 2.25f), ("train/accuracy", 0.1f)], events[1].Values);

        Assert.Equal(1L << 40, events[2].Step);
        Assert.Equal(["eval/exact_accuracy", "lr", "nan"], events[2].Values.Select(v => v.Tag));
        Assert.Equal(-3.5e-8f, events[2].Values[0].Value);
        Assert.Equal(1e-4f, events[2].Values[1].Value);
        Assert.True(float.IsNaN(events[2].Values[2].Value));
    }

    [Fact]
    public void NamesTheFileAsTensorBoardExpectsAndNeverOverwrites()
    {
        using var run = new TempDirectory();
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_760_000_000));
        using var first = new TensorBoardWriter(Path.Combine(run.Path, "nested"), clock);
        first.AddScalars(1, new Dictionary<string, double> { ["a"] = 1 });
        using var second = new TensorBoardWriter(Path.Combine(run.Path, "nested"), clock);

        Assert.Equal($"events.out.tfevents.1760000000.{Environment.MachineName}", Path.GetFileName(first.FilePath));
        Assert.NotEqual(first.FilePath, second.FilePath);
        Assert.Contains("tfevents", Path.GetFileName(second.FilePath));
        Assert.Equal(2, EventFileReader.Read(ReadShared(first.FilePath)).Count);
    }

    [Theory]
    [InlineData(0, "length CRC mismatch")]    // a length byte
    [InlineData(20, "data CRC mismatch")]     // a byte of the first event's wall_time
    [InlineData(-1, "data CRC mismatch")]     // the last record's data CRC
    public void TheReaderRejectsACorruptedByte(int offset, string error)
    {
        using var run = new TempDirectory();
        string path;
        using (var writer = new TensorBoardWriter(run.Path))
        {
            writer.AddScalars(3, new Dictionary<string, double> { ["loss"] = 1 });
            path = writer.FilePath;
        }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(2, EventFileReader.Read(bytes).Count);

        bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x01;
        var failure = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(bytes));
        Assert.Contains(error, failure.Message);
    }
}
