using System.Buffers.Binary;
using System.Text;
using Trm.IO;
using Trm.Model;
using Trm.Verification;

namespace Trm.Tests.Fuzz;

/// <summary>
/// The reference's real <c>checkpoint.pt</c> with its pickle's integers and lengths (tensor sizes, strides, offsets,
/// storage element counts, string lengths), storage types and storage entries changed, read as <c>trm</c> reads weights.
/// </summary>
public class CheckpointFuzzTests
{
    static readonly ReferenceFixture Fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
    static readonly List<(string Name, byte[] Bytes)> Entries = Mutations.ReadZip(Fixture.CheckpointPath);
    static readonly string[] StorageTypes = ["FloatStorage", "LongStorage", "HalfStorage", "BoolStorage", "ByteStorage", "ComplexFloatStorage", "X", ""];

    [Fact]
    public void MutatedCheckpointsEndInAMessage()
    {
        using var model = new ActLossHead(Fixture.Manifest.Config);
        FuzzRunner.Run("checkpoint.pt", FuzzRunner.Seeds(300, foundFailing: [29, 31, 52, 94]), Mutate, path =>
        {
            var state = TorchCheckpointReader.ReadStateDict(path);
            try
            {
                StateDictLoader.Load(model, state, path);
            }
            finally
            {
                foreach (var tensor in state.Values) tensor.Dispose();
            }
        });
    }

    static byte[] Mutate(Random random)
    {
        var entries = Entries.Select(e => (e.Name, (byte[])e.Bytes.Clone())).ToList();
        switch (random.Next(6))
        {
            case 0 or 1 or 2:
                int pickle = entries.FindIndex(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal));
                entries[pickle] = (entries[pickle].Name, Pickle(random, entries[pickle].Item2));
                break;
            case 3:
                int storage = entries.FindIndex(e => e.Name.Contains("/data/", StringComparison.Ordinal) && random.Next(3) == 0);
                if (storage < 0) storage = entries.FindIndex(e => e.Name.Contains("/data/", StringComparison.Ordinal));
                var data = entries[storage].Item2;
                entries[storage] = (entries[storage].Name, data[..random.Next(data.Length + 1)]);   // a storage shorter than declared
                break;
            case 4:
                entries.RemoveAt(random.Next(entries.Count));
                break;
            default:
                return Mutations.Bytes(random, Mutations.WriteZip(entries));
        }
        return Mutations.WriteZip(entries);
    }

    /// <summary>Overwrites the operand of integer and length opcodes (BININT1/2, BININT, LONG1, BINUNICODE, BINBYTES), or a storage type's name.</summary>
    static byte[] Pickle(Random random, byte[] pickle)
    {
        if (random.Next(5) == 0)
        {
            var text = Encoding.Latin1.GetString(pickle);
            var type = StorageTypes[random.Next(StorageTypes.Length)];
            return Encoding.Latin1.GetBytes(text.Replace("FloatStorage", type));
        }
        var bytes = (byte[])pickle.Clone();
        var candidates = Enumerable.Range(0, bytes.Length - 9).Where(i => bytes[i] is (byte)'K' or (byte)'M' or (byte)'J' or 0x8a or (byte)'X' or (byte)'B' or (byte)'h' or (byte)'q').ToList();
        int changes = 1 + random.Next(3);
        for (int c = 0; c < changes; c++)
        {
            int at = candidates[random.Next(candidates.Count)] + 1;
            long value = Mutations.Number(random);
            switch (bytes[at - 1])
            {
                case (byte)'K' or (byte)'h' or (byte)'q': bytes[at] = (byte)value; break;
                case (byte)'M': BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)value); break;
                case 0x8a:
                    int length = Math.Min((int)bytes[at], 8);
                    var operand = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(operand, value);
                    operand.AsSpan(0, Math.Min(length, bytes.Length - at - 1)).CopyTo(bytes.AsSpan(at + 1));
                    break;
                default: BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), (int)value); break;
            }
        }
        return bytes;
    }
}
