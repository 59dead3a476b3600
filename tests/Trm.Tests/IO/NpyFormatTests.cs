using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

public class NpyFormatTests
{
    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    public void RoundTripsEachDtype(ScalarType dtype)
    {
        var original = arange(24).view(2, 3, 4).remainder(2 * 3).to(dtype);
        var stream = new MemoryStream();
        NpyFormat.Write(stream, original);
        Assert.Equal(0, (stream.Length - original.numel() * dtype.ElementSize()) % 64);   // header padded to 64 bytes
        stream.Position = 0;

        var read = NpyFormat.Read(stream, "test.npy");
        Assert.Equal(dtype, read.dtype);
        Assert.Equal(original.shape, read.shape);
        TensorAssert.Identical(original, read);
    }

    [Fact]
    public void ReadsTheReferenceVectors()
    {
        var vectors = NpzArchive.ReadAll(Path.Combine(TestPaths.ReferenceFixture, "vectors.npz"));
        Assert.Equal([4L, 81L, 11L], vectors["eval.step1.logits"].shape);
        Assert.Equal(ScalarType.Float64, vectors["eval.step1.logits"].dtype);
        Assert.Equal(-100, vectors["batch.labels"][3].max().to(ScalarType.Int64).item<long>());   // the last example is all ignored
    }

    [Fact]
    public void RejectsAFileWithoutTheMagic()
    {
        var error = Assert.Throws<TrmException>(() => NpyFormat.Read(new MemoryStream("hello world"u8.ToArray()), "x.npy"));
        Assert.Contains("x.npy: not a NumPy .npy array", error.Message);
    }

    [Fact]
    public void RejectsTruncatedData()
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, ones(100));
        var cut = new MemoryStream(stream.ToArray()[..^10]);
        var error = Assert.Throws<TrmException>(() => NpyFormat.Read(cut, "cut.npy"));
        Assert.Contains("cut.npy: the array data is truncated", error.Message);
    }
}
