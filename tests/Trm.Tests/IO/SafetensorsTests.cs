using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

public class SafetensorsTests
{
    /// <summary>A file from its parts: the header JSON as given (padded to 8 bytes), then <paramref name="data"/>.</summary>
    static byte[] FileBytes(string headerJson, byte[] data, long? declaredLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var padded = header.Concat(Enumerable.Repeat((byte)' ', (8 - header.Length % 8) % 8)).ToArray();
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, declaredLength ?? padded.Length);
        return [.. length, .. padded, .. data];
    }

    static string Write(TempDirectory dir, byte[] bytes, string name = "model.safetensors")
    {
        File.WriteAllBytes(dir.File(name), bytes);
        return dir.File(name);
    }

    [Fact]
    public void EveryDtypeRoundTripsBitForBit()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["f64"] = tensor(new[] { Math.PI, -0.0, double.NegativeInfinity }),
            ["f32.transposed"] = arange(6, ScalarType.Float32).view(2, 3).t(),   // a non-contiguous view is written in C order
            ["f32.nan"] = tensor(new[] { float.NaN, -0.0f, float.Epsilon }),
            ["f16"] = tensor(new[] { 0.5f, 65504f, -1e-4f }).to(ScalarType.Float16),
            ["bf16"] = tensor(new[] { 1.5f, -2.25f, 1e-3f, 3e38f }).to(ScalarType.BFloat16),
            ["i64"] = tensor(new[] { long.MinValue, 42L, long.MaxValue }),
            ["i32"] = tensor(new[] { int.MinValue, 0, int.MaxValue }),
            ["i16"] = tensor(new short[] { short.MinValue, 7, short.MaxValue }),
            ["i8"] = tensor(new sbyte[] { sbyte.MinValue, -1, sbyte.MaxValue }),
            ["u8"] = tensor(new byte[] { 0, 128, 255 }),
            ["bool"] = tensor(new[] { true, false, true }),
            ["scalar"] = tensor(3.0f),
            ["empty"] = zeros(0, 4),
            ["matrix"] = randn(7, 5, 3),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "line 1\nline 2: \"quoted\" é" };
        using var dir = new TempDirectory();
        long size = SafetensorsWriter.Write(dir.File("all.safetensors"), tensors, metadata);

        var (read, readMetadata) = SafetensorsReader.Read(dir.File("all.safetensors"));
        Assert.Equal(new FileInfo(dir.File("all.safetensors")).Length, size);
        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (key, expected) in tensors) TensorAssert.BitIdentical(expected.contiguous(), read[key], key);
        Assert.Equal(metadata, readMetadata);
    }

    [Fact]
    public void TheFileIsLaidOutAsTheFormatSays()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["b"] = tensor(new[] { 1.0f, -2.0f }),
            ["a"] = tensor(new[] { 0x0102030405060708L }),
            ["c"] = tensor(new[] { true }),
        };
        using var dir = new TempDirectory();
        SafetensorsWriter.Write(dir.File("x.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = File.ReadAllBytes(dir.File("x.safetensors"));

        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);                                     // the data starts 8-byte aligned
        var headerText = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(headerText.TrimEnd(' ').Length, headerText.TrimEnd().Length);   // padding is spaces only
        Assert.True(headerText.TrimEnd(' ').Length > n - 8);       // and less than 8 of them
        using var header = JsonDocument.Parse(headerText);
        var root = header.RootElement;
        Assert.Equal(["__metadata__", "a", "b", "c"], root.EnumerateObject().Select(p => p.Name));   // tensors sorted by name
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("I64", root.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal([1L], root.GetProperty("a").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0L, 8L], root.GetProperty("a").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([8L, 16L], root.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("BOOL", root.GetProperty("c").GetProperty("dtype").GetString());
        Assert.Equal([16L, 17L], root.GetProperty("c").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));

        var data = bytes[(int)(8 + n)..];
        byte[] expected = [.. BitConverter.GetBytes(0x0102030405060708L), .. BitConverter.GetBytes(1.0f), .. BitConverter.GetBytes(-2.0f), 1];
        Assert.Equal(expected, data);   // little-endian, back to back, nothing after
    }

    [Fact]
    public void AHandBuiltFileIsRead()
    {
        // F32 [2, 2] = 1..4, BF16 [2] = 1.5 (0x3FC0), -2 (0xC000), BOOL [3], U8 [] = 200; offsets not in name order
        const string header = """
            {"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"flags":{"dtype":"BOOL","shape":[3],"data_offsets":[20,23]},"h":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]},"s":{"dtype":"U8","shape":[],"data_offsets":[23,24]},"__metadata__":{"format":"pt"}}
            """;
        byte[] data = [.. new[] { 1f, 2f, 3f, 4f }.SelectMany(BitConverter.GetBytes), 0xC0, 0x3F, 0x00, 0xC0, 1, 0, 1, 200];
        using var dir = new TempDirectory();
        var (tensors, metadata) = SafetensorsReader.Read(Write(dir, FileBytes(header, data)));

        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, tensors["w"].data<float>().ToArray());
        Assert.Equal([2L, 2L], tensors["w"].shape);
        Assert.Equal(ScalarType.BFloat16, tensors["h"].dtype);
        Assert.Equal(new[] { 1.5f, -2f }, tensors["h"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new[] { true, false, true }, tensors["flags"].data<bool>().ToArray());
        Assert.Empty(tensors["s"].shape);
        Assert.Equal(200, tensors["s"].item<byte>());
        Assert.Equal("pt", metadata["format"]);
    }

    public static TheoryData<string, byte[], string> CorruptFiles() => new()
    {
        { "too short", [1, 2, 3], "3 bytes is too short for a safetensors file" },
        { "header past the end", FileBytes("{}", [], declaredLength: 4096), "the header length 4096 reaches past the end of the file (16 bytes)" },
        { "not JSON", FileBytes("{\"w\": {\"dtype\": ", [1, 2, 3, 4]), "the header is not valid JSON" },
        { "not an object", FileBytes("[1, 2]", []), "the header is a JSON Array, not an object" },
        { "unknown dtype", FileBytes("""{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'w' has dtype 'F8_E4M3', which is not supported" },
        { "size mismatch", FileBytes("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]), "tensor 'w': data_offsets [0, 8] hold 8 bytes, but dtype F32 and shape [3] need 12" },
        { "truncated data", FileBytes("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[10]), "tensor 'w': data_offsets [0, 16] reach past the end of the data (10 bytes); the file is truncated" },
        { "overlap", FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]), "tensors 'a' and 'b' overlap" },
        { "gap", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]), "4 bytes before tensor 'a' belong to no tensor" },
        { "trailing bytes", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[6]), "2 bytes after the last tensor" },
        { "reversed offsets", FileBytes("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", new byte[4]), "tensor 'a': data_offsets [4, 0] must be [begin, end]" },
        { "negative shape", FileBytes("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'a': shape holds -1, not a non-negative integer" },
        { "no dtype", FileBytes("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4]), "tensor 'a' has no dtype" },
        { "duplicate name", FileBytes("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", new byte[2]), "the header names 'a' twice" },
        { "metadata not strings", FileBytes("""{"__metadata__":{"step":5}}""", []), "__metadata__ entry 'step' is a Number, not a string" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void ACorruptFileGivesAnErrorNamingTheFileAndTheProblem(string what, byte[] bytes, string message)
    {
        using var dir = new TempDirectory();
        var path = Write(dir, bytes);
        var error = Assert.Throws<TrmException>(() => SafetensorsReader.Read(path));
        Assert.StartsWith($"{path}: ", error.Message);
        Assert.True(error.Message.Contains(message), $"{what}: {error.Message}");
    }

    [Fact]
    public void AFileCutShortAnywhereIsRefused()
    {
        using var dir = new TempDirectory();
        SafetensorsWriter.Write(dir.File("whole.safetensors"), new Dictionary<string, Tensor> { ["a"] = randn(10), ["b"] = randn(3, 3) });
        var bytes = File.ReadAllBytes(dir.File("whole.safetensors"));
        foreach (int length in new[] { 0, 7, 8, 20, bytes.Length - 40, bytes.Length - 1 })
        {
            var path = Write(dir, bytes[..length], $"cut{length}.safetensors");
            var error = Assert.Throws<TrmException>(() => SafetensorsReader.Read(path));
            Assert.StartsWith(path, error.Message);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var error = Assert.Throws<TrmException>(() => SafetensorsReader.Read("/nowhere/model.safetensors"));
        Assert.Equal("/nowhere/model.safetensors: file not found.", error.Message);
    }

    [Fact]
    public void AFailedWriteLeavesNothingBehindAndKeepsTheOldFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(2) });
        var before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(2), ["c"] = zeros(2, ScalarType.ComplexFloat32) }));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(2) }));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir.Path).Select(p => Path.GetFileName(p)));
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
