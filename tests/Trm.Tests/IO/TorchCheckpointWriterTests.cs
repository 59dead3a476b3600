using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

public class TorchCheckpointWriterTests
{
    [Fact]
    public void EveryDtypeRoundTrips()
    {
        var state = new Dictionary<string, Tensor>
        {
            ["f32.transposed"] = arange(6, ScalarType.Float32).view(2, 3).t(),   // non-contiguous view
            ["bf16"] = tensor(new[] { 1.5f, -2.25f, 1e-3f }).to(ScalarType.BFloat16),
            ["f16"] = tensor(new[] { 0.5f, 65504f }).to(ScalarType.Float16),
            ["i32"] = tensor(new[] { int.MinValue, 0, int.MaxValue }),
            ["i64"] = tensor(new[] { long.MinValue, 42L }),
            ["bool"] = tensor(new[] { true, false, true }),
            ["scalar"] = tensor(3.0),
        };
        using var dir = new TempDirectory();
        TorchCheckpointWriter.Write(dir.File("all.pt"), state);

        var read = TorchCheckpointReader.ReadStateDict(dir.File("all.pt"));
        Assert.Equal(state.Keys, read.Keys);
        foreach (var (key, expected) in state) TensorAssert.Identical(expected.contiguous(), read[key]);
    }

    [Fact]
    public void TheReferenceCheckpointSurvivesARoundTripWithTheCompiledPrefix()
    {
        var original = TorchCheckpointReader.ReadStateDict(Path.Combine(TestPaths.ReferenceFixture, "checkpoint.pt"));
        using var dir = new TempDirectory();
        TorchCheckpointWriter.Write(dir.File("step_10"), original, keyPrefix: TorchCheckpointReader.CompiledPrefix);

        var read = TorchCheckpointReader.ReadStateDict(dir.File("step_10"));
        Assert.Equal(original.Keys.Order(), read.Keys.Order());
        foreach (var (key, expected) in original) TensorAssert.Identical(expected, read[key]);
    }

    [Fact]
    public void AFailedWriteLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        var state = new Dictionary<string, Tensor> { ["complex"] = zeros(2, ScalarType.ComplexFloat32) };
        Assert.Throws<ArgumentException>(() => TorchCheckpointWriter.Write(dir.File("bad.pt"), state));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
