using Trm.IO;
using Trm.Model;
using Trm.Verification;
using static TorchSharp.torch;

namespace Trm.Tests.Model;

public class PrecisionTests
{
    [Fact]
    public void BFloat16ForwardStaysCloseToFloat32OnTheSameWeights()
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
        var checkpoint = TorchCheckpointReader.ReadStateDict(fixture.CheckpointPath);
        var batch = fixture.Batch();

        Tensor Logits(string dtype)
        {
            var model = new ActLossHead(fixture.Manifest.Config with { ForwardDtype = ReferenceNames.Parse<ForwardDtype>(dtype, nameof(dtype)) });
            StateDictLoader.Load(model, checkpoint, fixture.CheckpointPath);
            model.eval();
            using var noGrad = no_grad();
            var result = model.Forward(model.InitialCarry(batch), batch);
            Assert.Equal(dtype == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32, result.Outputs.Logits.dtype);
            return result.Outputs.Logits.to(ScalarType.Float32);
        }

        var f32 = Logits("float32");
        var bf16 = Logits("bfloat16");
        double relative = (bf16 - f32).norm().item<float>() / f32.norm().item<float>();

        Assert.InRange(relative, 1e-5, 2e-2);   // differs (really bf16), but stays close
    }
}
