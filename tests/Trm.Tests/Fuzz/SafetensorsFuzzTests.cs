using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.Configuration;
using Trm.IO;
using Trm.Verification;

namespace Trm.Tests.Fuzz;

/// <summary>
/// A real safetensors file (the reference's weights with a <c>trm_config</c>, as <c>trm convert</c> writes) with its
/// header's shapes, offsets and dtypes, its header length, its config metadata (aliases included) and its bytes changed.
/// </summary>
public class SafetensorsFuzzTests
{
    static readonly byte[] Original = Write();

    [Fact]
    public void MutatedSafetensorsEndInAMessage() =>
        FuzzRunner.Run("weights.safetensors", FuzzRunner.Seeds(250, foundFailing: [99, 139, 225, 334]), Mutate, path =>
        {
            var (tensors, metadata) = SafetensorsReader.Read(path);
            foreach (var tensor in tensors.Values) tensor.Dispose();
            if (metadata.TryGetValue(CheckpointConversion.ConfigMetadataKey, out var yaml)) ConfigLoader.FromYaml(yaml, path, []).Validate(path);
        });

    static byte[] Write()
    {
        using var dir = new TempDirectory();
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
        var state = TorchCheckpointReader.ReadStateDict(fixture.CheckpointPath);
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Write(path, state, new Dictionary<string, string> { [CheckpointConversion.ConfigMetadataKey] = Presets.Read("sudoku4-cpu")! });
        foreach (var tensor in state.Values) tensor.Dispose();
        return File.ReadAllBytes(path);
    }

    static byte[] Mutate(Random random)
    {
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(Original);
        var header = JsonNode.Parse(Original.AsSpan(8, (int)headerLength))!;
        var data = Original[(8 + (int)headerLength)..];
        switch (random.Next(4))
        {
            case 0: return Mutations.Bytes(random, Original);
            case 1:
                header[SafetensorsReader.MetadataKey]![CheckpointConversion.ConfigMetadataKey] = YamlFuzzTests.Mutate(random);
                break;
            default:
                header = Mutations.Json(random, header);
                break;
        }
        var json = Encoding.UTF8.GetBytes(header?.ToJsonString() ?? "null");
        var file = new byte[8 + json.Length + data.Length];
        long declared = random.Next(8) == 0 ? Mutations.Number(random) : json.Length;
        BinaryPrimitives.WriteInt64LittleEndian(file, declared);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }
}
