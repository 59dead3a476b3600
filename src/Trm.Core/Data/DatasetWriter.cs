using System.Text.Json;
using Trm.IO;

namespace Trm.Data;

/// <summary>
/// Writes a whole dataset directory (<c>train/</c>, <c>test/</c>, <c>identifiers.json</c>, ...) into a
/// temporary sibling that <see cref="Commit"/> renames into place; disposing without committing
/// deletes it, so a failed build leaves nothing half-written.
/// </summary>
public sealed class DatasetWriter : IDisposable
{
    readonly string temporary;
    readonly List<SplitWriter> openSplits = [];
    bool committed;

    public string OutputDirectory { get; }

    public DatasetWriter(string outputDirectory)
    {
        OutputDirectory = Path.GetFullPath(outputDirectory);
        AtomicOutput.RequireAbsent(OutputDirectory);
        temporary = AtomicOutput.TemporarySibling(OutputDirectory);
        Directory.CreateDirectory(temporary);
    }

    /// <summary>Starts a split (<c>train</c> or <c>test</c>); <paramref name="layout"/> gives its token layout.</summary>
    public SplitWriter BeginSplit(string split, DatasetMetadata layout)
    {
        var writer = new SplitWriter(Path.Combine(temporary, split), layout);
        openSplits.Add(writer);
        return writer;
    }

    /// <summary>Writes a JSON file at the dataset root (<c>identifiers.json</c>, <c>test_puzzles.json</c>).</summary>
    public void WriteJson<T>(string fileName, T value) =>
        File.WriteAllText(Path.Combine(temporary, fileName), JsonSerializer.Serialize(value));

    /// <summary>
    /// Completes every split, moves the directory into place and returns what was written.
    /// <paramref name="numPuzzleIdentifiers"/>: the identifier count when it was only known at the end (blank included).
    /// </summary>
    public DatasetSummary Commit(int? numPuzzleIdentifiers = null)
    {
        var splits = openSplits.ToDictionary(w => Path.GetFileName(w.Directory), w => w.Complete(numPuzzleIdentifiers));
        long bytes = Directory.EnumerateFiles(temporary, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Directory.Move(temporary, OutputDirectory);
        committed = true;
        return new DatasetSummary(OutputDirectory, splits, bytes);
    }

    public void Dispose()
    {
        foreach (var split in openSplits) split.Dispose();
        if (!committed && Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
    }
}

/// <summary>What a build wrote: per split its metadata (groups, puzzles, examples), and the total bytes.</summary>
public sealed record DatasetSummary(string Directory, IReadOnlyDictionary<string, DatasetMetadata> Splits, long Bytes)
{
    public override string ToString() =>
        string.Join("\n", Splits.Select(s => $"  {s.Key,-5}: {s.Value.TotalGroups} groups, {s.Value.TotalPuzzles} puzzles, " +
            $"{Math.Round(s.Value.MeanPuzzleExamples * s.Value.TotalPuzzles)} examples")) +
        $"\n  wrote {Bytes / 1e6:F1} MB to {Directory}";
}
