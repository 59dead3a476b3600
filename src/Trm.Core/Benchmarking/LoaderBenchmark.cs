using System.Diagnostics;
using Trm.Data;
using static TorchSharp.torch;

namespace Trm.Benchmarking;

/// <summary>The data loader alone: <see cref="Batches"/> training batches of <see cref="Batch"/> in <see cref="Seconds"/>.</summary>
public sealed record LoaderMeasurement(int Batch, long Batches, double Seconds, long DatasetExamples, long PeakResidentBytes)
{
    public double BatchesPerSecond => Batches / Seconds;
}

/// <summary>
/// Times <see cref="PuzzleBatchLoader"/> over a dataset of the preset's shape written with <see cref="DatasetWriter"/> to a
/// temporary directory (random tokens; groups of one-example puzzles): training batches, moved to the device as
/// training receives them, for at least <c>minSeconds</c>. The directory is deleted afterwards.
/// </summary>
public static class LoaderBenchmark
{
    public static LoaderMeasurement Run(BenchmarkPreset preset, int batch, double minSeconds, Device device, int seed = 0)
    {
        var root = Directory.CreateTempSubdirectory("trm-bench-").FullName;
        try
        {
            var directory = Write(preset, Path.Combine(root, "data"), seed);
            using var split = PuzzleSplit.Open(directory, "train");
            var loader = new PuzzleBatchLoader(split, new LoaderOptions(batch, seed));
            using (var first = loader.TrainIteration(0, device: device).First()) { }   // warm-up: maps the files

            ResidentMemory.ResetPeak();
            long batches = 0;
            var clock = Stopwatch.StartNew();
            for (int iteration = 0; clock.Elapsed.TotalSeconds < minSeconds || batches < 3; iteration++)
            {
                foreach (var loaded in loader.TrainIteration(iteration, device: device))
                {
                    loaded.Dispose();
                    batches++;
                    if (clock.Elapsed.TotalSeconds >= minSeconds && batches >= 3) break;
                }
            }
            BenchmarkClock.Synchronize(device);
            return new LoaderMeasurement(batch, batches, clock.Elapsed.TotalSeconds, (long)preset.Groups * preset.PuzzlesPerGroup, ResidentMemory.Peak());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Groups of PuzzlesPerGroup puzzles of one example each: inputs 1..vocab-1, labels 1..vocab-1 (0 is ignored, as in the builders).
    static string Write(BenchmarkPreset preset, string directory, int seed)
    {
        var random = new Random(seed);
        using var writer = new DatasetWriter(directory);
        var split = writer.BeginSplit("train", new DatasetMetadata
        {
            PadId = 0, IgnoreLabelId = 0, BlankIdentifierId = 0, VocabSize = preset.VocabSize, SeqLen = preset.SeqLen,
            NumPuzzleIdentifiers = preset.NumPuzzleIdentifiers,
        });
        var input = new byte[preset.SeqLen];
        var label = new byte[preset.SeqLen];
        int puzzle = 0;
        for (int group = 0; group < preset.Groups; group++)
        {
            for (int p = 0; p < preset.PuzzlesPerGroup; p++, puzzle++)
            {
                for (int i = 0; i < preset.SeqLen; i++)
                {
                    input[i] = (byte)random.Next(1, preset.VocabSize);
                    label[i] = (byte)random.Next(1, preset.VocabSize);
                }
                split.AddExample(input, label);
                split.EndPuzzle(preset.NumPuzzleIdentifiers > 1 ? 1 + puzzle % (preset.NumPuzzleIdentifiers - 1) : 0);
            }
            split.EndGroup();
        }
        writer.Commit();
        return directory;
    }
}
