using System.IO.Compression;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>NumPy's <c>.npz</c>: a zip of <c>.npy</c> files (stored or deflated), keyed by name without <c>.npy</c>.</summary>
public static class NpzArchive
{
    public static Dictionary<string, Tensor> ReadAll(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new TrmException($"{path}: file not found.");
        UserFile.RequireRegular(path, "a .npz archive");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var arrays = new Dictionary<string, Tensor>();
            foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)))
            {
                using var stream = entry.Open();
                arrays[entry.FullName[..^4]] = NpyFormat.Read(stream, $"{path}:{entry.FullName}", entry.Length);
            }
            return arrays;
        }
        catch (InvalidDataException e)
        {
            throw new TrmException($"{path}: not a readable .npz (zip) archive: {e.Message}", e);
        }
    }

    public static void WriteAll(string path, IReadOnlyDictionary<string, Tensor> arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, tensor) in arrays)
        {
            using var stream = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression).Open();
            NpyFormat.Write(stream, tensor);
        }
    }
}
