using Trm.IO;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// A puzzle-embedding table can be 1-2 GB: reading and writing checkpoints must not hold it twice. Measured on a
/// 200 MB table by the process's peak resident memory (Linux <c>VmHWM</c>, reset through <c>/proc/self/clear_refs</c>)
/// with no other test running, and by the managed bytes allocated (a byte[] copy of the table would show there).
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public class CheckpointMemoryTests(ITestOutputHelper log)
{
    const long Rows = 50_000, Columns = 1000, TableBytes = Rows * Columns * 4;   // 200 MB of float32

    static long StatusBytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }

    /// <summary>Peak resident memory above the start and managed bytes allocated while <paramref name="action"/> runs.</summary>
    static (long PeakDelta, long Managed, T Result) Measure<T>(Func<T> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");   // resets VmHWM to the current resident size
        long before = StatusBytes("VmRSS"), managed = GC.GetAllocatedBytesForCurrentThread();
        var result = action();
        return (StatusBytes("VmHWM") - before, GC.GetAllocatedBytesForCurrentThread() - managed, result);
    }

    static Dictionary<string, Tensor> StateDict() => new()
    {
        ["model.inner.puzzle_emb.weights"] = arange(Rows, ScalarType.Float32).unsqueeze(1) * 0.5f + arange(Columns, ScalarType.Float32),   // row / 2 + column
        ["model.inner.H_init"] = ones(64),
    };

    static void CheckValues(Dictionary<string, Tensor> read)
    {
        var table = read["model.inner.puzzle_emb.weights"];
        Assert.Equal([Rows, Columns], table.shape);
        Assert.Equal(25998.5f, table[Rows - 1, Columns - 1].item<float>());
        Assert.Equal(1184f, table[1234, 567].item<float>());
    }

    [Fact]
    public void APyTorchCheckpointIsReadAndWrittenWithoutASecondCopyOfTheTable()
    {
        using var dir = new TempDirectory();
        var state = StateDict();
        var (writePeak, writeManaged, _) = Measure(() => { TorchCheckpointWriter.Write(dir.File("big.pt"), state); return 0; });
        foreach (var t in state.Values) t.Dispose();

        var (readPeak, readManaged, read) = Measure(() => TorchCheckpointReader.ReadStateDict(dir.File("big.pt")));
        CheckValues(read);
        log.WriteLine($"table {TableBytes / 1e6:F0} MB: write peak +{writePeak / 1e6:F0} MB, managed {writeManaged / 1e6:F1} MB; read peak +{readPeak / 1e6:F0} MB, managed {readManaged / 1e6:F1} MB");
        Assert.True(readPeak < 1.5 * TableBytes, $"reading a {TableBytes / 1e6} MB table raised peak memory by {readPeak / 1e6:F0} MB");
        Assert.True(readPeak > 0.9 * TableBytes, $"the measurement saw {readPeak / 1e6:F0} MB for a {TableBytes / 1e6} MB table");   // the table itself must show
        Assert.True(readManaged < 16_000_000, $"reading allocated {readManaged / 1e6:F0} MB of managed memory");
        Assert.True(writePeak < 0.5 * TableBytes, $"writing raised peak memory by {writePeak / 1e6:F0} MB");
        Assert.True(writeManaged < 16_000_000, $"writing allocated {writeManaged / 1e6:F0} MB of managed memory");
    }

    [Fact]
    public void ASafetensorsFileIsReadAndWrittenWithoutASecondCopyOfTheTable()
    {
        using var dir = new TempDirectory();
        var state = StateDict();
        var (writePeak, writeManaged, _) = Measure(() => SafetensorsWriter.Write(dir.File("big.safetensors"), state));
        foreach (var t in state.Values) t.Dispose();

        var (readPeak, readManaged, read) = Measure(() => SafetensorsReader.Read(dir.File("big.safetensors")).Tensors);
        CheckValues(read);
        log.WriteLine($"table {TableBytes / 1e6:F0} MB: write peak +{writePeak / 1e6:F0} MB, managed {writeManaged / 1e6:F1} MB; read peak +{readPeak / 1e6:F0} MB, managed {readManaged / 1e6:F1} MB");
        Assert.True(readPeak < 1.5 * TableBytes, $"reading a {TableBytes / 1e6} MB table raised peak memory by {readPeak / 1e6:F0} MB");
        Assert.True(readPeak > 0.9 * TableBytes, $"the measurement saw {readPeak / 1e6:F0} MB for a {TableBytes / 1e6} MB table");
        Assert.True(readManaged < 16_000_000, $"reading allocated {readManaged / 1e6:F0} MB of managed memory");
        Assert.True(writePeak < 0.5 * TableBytes, $"writing raised peak memory by {writePeak / 1e6:F0} MB");
        Assert.True(writeManaged < 16_000_000, $"writing allocated {writeManaged / 1e6:F0} MB of managed memory");
    }
}
