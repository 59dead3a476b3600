using Trm.IO;
using Trm.Model;
using Trm.Verification;
using static TorchSharp.torch;

namespace Trm.Tests.IO;

public class CheckpointErrorTests
{
    static readonly ReferenceFixture Fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);

    static ActLossHead NewModel() => new(Fixture.Manifest.Config);

    [Fact]
    public void ReadsTheReferenceCheckpointWithItsDtypesAndShapes()
    {
        var state = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        Assert.Equal(15, state.Count);
        Assert.Equal([192L, 64L], state["model.inner.L_level.layers.0.self_attn.qkv_proj.weight"].shape);
        Assert.All(state.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
    }

    [Fact]
    public void CompiledPrefixIsStripped()
    {
        var plain = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        var compiled = TorchCheckpointReader.ReadStateDict(Fixture.CompiledCheckpointPath);
        Assert.Equal(plain.Keys.Order(), compiled.Keys.Order());
        Assert.All(plain, kv => TensorAssert.Identical(kv.Value, compiled[kv.Key]));
    }

    [Fact]
    public void MissingKeyIsNamed()
    {
        var state = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        state.Remove("model.inner.lm_head.weight");
        var error = Assert.Throws<TrmException>(() => StateDictLoader.Load(NewModel(), state, "ckpt.pt"));
        Assert.Contains("ckpt.pt does not fit this model configuration", error.Message);
        Assert.Contains("missing keys: model.inner.lm_head.weight", error.Message);
    }

    [Fact]
    public void WrongShapeIsNamedWithBothShapes()
    {
        var state = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        state["model.inner.H_init"] = zeros(32);
        var error = Assert.Throws<TrmException>(() => StateDictLoader.Load(NewModel(), state, "ckpt.pt"));
        Assert.Contains("model.inner.H_init: checkpoint [32], model [64]", error.Message);
        Assert.DoesNotContain('\n', error.Message);   // trm prints one line per error
    }

    [Fact]
    public void AConfigurationFarLargerThanTheWeightsIsRefusedBeforeTheModelIsBuilt()
    {
        // A hostile all_config.yaml (hidden_size 65536, the most the limits allow: 1e11 values) beside the small reference weights.
        var state = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        var arch = new Trm.Configuration.ArchConfig { Model = Fixture.Manifest.Config with { HiddenSize = 1 << 16 } };
        var layout = new Trm.Checkpoints.ModelLayout(Fixture.Manifest.Config.SeqLen, Fixture.Manifest.Config.VocabSize, Fixture.Manifest.Config.NumPuzzleIdentifiers);
        var error = Assert.Throws<TrmException>(() => Trm.Checkpoints.CheckpointModel.Load(arch, layout, state, "ckpt.pt", CPU));
        long needed = (Fixture.Manifest.Config with { HiddenSize = 1 << 16 }).StateValues();
        Assert.True(needed > 100_000_000_000L);
        Assert.StartsWith($"ckpt.pt holds {state.Values.Sum(t => t.numel()):N0} values, but the configuration describes a model of {needed:N0} (", error.Message);
        Assert.Contains("hidden_size 65536", error.Message);
        Assert.Throws<TrmException>(() => Trm.Checkpoints.CheckpointModel.CheckFits(arch, state, "ckpt.pt"));
    }

    [Fact]
    public void ConfigThatDoesNotFitTheCheckpointNamesExtraAndMissingKeys()
    {
        var state = TorchCheckpointReader.ReadStateDict(Fixture.CheckpointPath);
        var mlpModel = new ActLossHead(Fixture.Manifest.Config with { MlpT = true });
        var error = Assert.Throws<TrmException>(() => StateDictLoader.Load(mlpModel, state, "ckpt.pt"));
        Assert.Contains("unexpected keys: model.inner.L_level.layers.0.self_attn.o_proj.weight", error.Message);
        Assert.Contains("model.inner.L_level.layers.0.mlp_t.gate_up_proj.weight", error.Message);
    }

    [Fact]
    public void TruncatedCheckpointGivesAClearError()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture.CheckpointPath);
        var path = dir.File("truncated.pt");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<TrmException>(() => TorchCheckpointReader.ReadStateDict(path));
        Assert.StartsWith(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void ForeignFileGivesAClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.pt");
        File.WriteAllText(path, "this is not a checkpoint");
        var error = Assert.Throws<TrmException>(() => TorchCheckpointReader.ReadStateDict(path));
        Assert.Contains("not a PyTorch zip checkpoint", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var error = Assert.Throws<TrmException>(() => TorchCheckpointReader.ReadStateDict("/nowhere/model.pt"));
        Assert.Equal("/nowhere/model.pt: checkpoint file not found.", error.Message);
    }
}
