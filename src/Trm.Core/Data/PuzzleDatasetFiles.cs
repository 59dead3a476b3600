using System.Text.Json;
using Trm.IO;

namespace Trm.Data;

/// <summary>
/// Reads and writes a split directory in the reference's layout: <c>dataset.json</c> and
/// <c>&lt;set&gt;__&lt;field&gt;.npy</c> per set. Writes go to a temporary sibling directory that is
/// renamed into place only when complete, so a failed write leaves nothing behind.
/// </summary>
public static class PuzzleDatasetFiles
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string splitDirectory, PuzzleSplit split)
    {
        foreach (var (name, set) in split.Sets) set.Validate($"{splitDirectory} set '{name}'", split.Metadata);
        var full = Path.GetFullPath(splitDirectory);
        if (Directory.Exists(full)) throw new TrmException($"{full} already exists; remove it or choose another output directory.");
        var temp = full + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllText(Path.Combine(temp, "dataset.json"), JsonSerializer.Serialize(split.Metadata with { Sets = [.. split.Sets.Keys] }, Json));
            foreach (var (name, set) in split.Sets)
                foreach (var (field, array) in set.Fields())
                {
                    using var stream = File.Create(Path.Combine(temp, $"{name}__{field}.npy"));
                    NpyFormat.Write(stream, array);
                }
            Directory.Move(temp, full);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    public static PuzzleSplit Read(string splitDirectory)
    {
        var metadata = JsonFile.Read<DatasetMetadata>(Path.Combine(splitDirectory, "dataset.json"), "dataset metadata",
            "a dataset split directory holds dataset.json and <set>__inputs.npy etc. Pass the dataset root's train/ or test/ folder.");

        var sets = new Dictionary<string, PuzzleSet>();
        foreach (var name in metadata.Sets)
        {
            var arrays = PuzzleSet.FieldNames.Select(field =>
            {
                var path = Path.Combine(splitDirectory, $"{name}__{field}.npy");
                if (!File.Exists(path)) throw new TrmException($"{path} not found (set '{name}' is listed in dataset.json).");
                using var stream = File.OpenRead(path);
                return NpyFormat.Read(stream, path);
            }).ToArray();
            var set = new PuzzleSet(arrays[0], arrays[1], arrays[2], arrays[3], arrays[4]);
            set.Validate($"{splitDirectory} set '{name}'", metadata);
            sets[name] = set;
        }
        return new PuzzleSplit(metadata, sets);
    }
}
