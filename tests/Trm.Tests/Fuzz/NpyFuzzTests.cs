using System.Text;
using System.Text.RegularExpressions;
using Trm.Data;
using Trm.IO;
using Trm.Tests.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Fuzz;

/// <summary>
/// Real <c>.npy</c> arrays (a dataset's token matrix and index arrays) with their header's shape, dtype and length field
/// changed, read alone and inside a dataset, together with a mutated <c>dataset.json</c>, as training and evaluation open them.
/// </summary>
public partial class NpyFuzzTests
{
    static readonly string[] Dtypes = ["<i4", "<i8", "|u1", "<f4", ">i4", "<U8", "|O", "<c8", "", "'"];
    static readonly string[] DatasetFiles = ["all__inputs.npy", "all__labels.npy", "all__puzzle_indices.npy", "all__group_indices.npy", "all__puzzle_identifiers.npy", "dataset.json"];

    [Fact]
    public void MutatedArraysEndInAMessage()
    {
        byte[] original;
        using (var tokens = arange(400, dtype: ScalarType.Int32).reshape(50, 8))
        using (var memory = new MemoryStream())
        {
            NpyFormat.Write(memory, tokens);
            original = memory.ToArray();
        }
        FuzzRunner.Run("array.npy", FuzzRunner.Seeds(300, foundFailing: [2117]), random => Mutate(random, original), path =>
        {
            using (var stream = File.OpenRead(path))
                NpyFormat.Read(stream, path).Dispose();
            using var matrix = new TokenMatrix(path);
            var row = new int[matrix.Columns];
            if (matrix.Rows > 0) matrix.CopyRow(matrix.Rows - 1, row);
        });
    }

    [Fact]
    public void MutatedDatasetsEndInAMessage()
    {
        using var source = new TempDirectory();
        var dataset = TinyTask.Build(source.File("data"));
        FuzzRunner.Run("dataset", FuzzRunner.Seeds(120, foundFailing: [522]), (random, directory) =>
        {
            var copy = Path.Combine(directory, "data");
            foreach (var file in Directory.GetFiles(dataset, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(dataset, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            var victim = Path.Combine(copy, "train", DatasetFiles[random.Next(DatasetFiles.Length)]);
            var bytes = File.ReadAllBytes(victim);
            File.WriteAllBytes(victim, victim.EndsWith(".json")
                ? Encoding.UTF8.GetBytes(Mutations.Json(random, System.Text.Json.Nodes.JsonNode.Parse(bytes))?.ToJsonString() ?? "null")
                : Mutate(random, bytes));
            return copy;
        }, path =>
        {
            using var split = PuzzleSplit.Open(path, "train");
            var loader = new PuzzleBatchLoader(split, new LoaderOptions(16, 0, 1));
            foreach (var batch in loader.TrainIteration(0, 0, CPU).Take(2)) batch.Dispose();
        });
    }

    static byte[] Mutate(Random random, byte[] original)
    {
        int headerLength = BitConverter.ToUInt16(original, 8);
        var header = Encoding.Latin1.GetString(original, 10, headerLength);
        var data = original[(10 + headerLength)..];
        switch (random.Next(5))
        {
            case 0: return Mutations.Bytes(random, original);
            case 1: header = DescrPattern().Replace(header, $"'descr': '{Dtypes[random.Next(Dtypes.Length)]}'"); break;
            case 2: data = data[..random.Next(data.Length + 1)]; break;
            default:
                var sizes = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(6) == 0 ? "'x'" : Mutations.Number(random).ToString());
                header = ShapePattern().Replace(header, $"'shape': ({string.Join(", ", sizes)},)");
                break;
        }
        var headerBytes = Encoding.Latin1.GetBytes(header);
        int declared = random.Next(10) == 0 ? random.Next(0, 70_000) : headerBytes.Length;
        return [.. original[..8], .. BitConverter.GetBytes((ushort)declared), .. headerBytes, .. data];
    }

    [GeneratedRegex(@"'descr'\s*:\s*'[^']*'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\([^)]*\)")]
    private static partial Regex ShapePattern();
}
