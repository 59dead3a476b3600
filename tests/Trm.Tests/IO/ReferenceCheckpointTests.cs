using Trm.IO;
using Trm.Model;
using Trm.Training;
using Trm.Verification;
using static TorchSharp.torch;
using Trm.Checkpoints;

namespace Trm.Tests.IO;

/// <summary>
/// The paper's checkpoint layout (<c>all_config.yaml</c> + <c>step_N</c>, see <see cref="ReferenceCheckpoint"/>) loads through the
/// path <c>--checkpoint</c> takes and computes what the paper's code computed; conversions keep every tensor bit for bit.
/// </summary>
public class ReferenceCheckpointTests
{
    static ReferenceFixture Fixture => ReferenceCheckpoint.Fixture;

    /// <summary>Runs the fixture batch for the fixture's evaluation steps; returns the comparisons with its eval.stepK arrays.</summary>
    static List<Comparison> ReplayEvaluation(ActLossHead model, ReferenceFixture? fixture = null)
    {
        fixture ??= Fixture;
        var results = new List<Comparison>();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = fixture.Batch();
        var carry = model.InitialCarry(batch);
        for (int step = 1; step <= fixture.Manifest.EvalSteps; step++)
        {
            var result = model.Forward(carry, batch);
            var prefix = $"eval.step{step}.";
            results.Add(Comparison.Relative(prefix + "logits", result.Outputs.Logits, fixture.Get(prefix + "logits"), ReferenceVerifier.OutputTolerance));
            results.Add(Comparison.Relative(prefix + "q_halt_logits", result.Outputs.QHaltLogits, fixture.Get(prefix + "q_halt_logits"), ReferenceVerifier.OutputTolerance));
            results.Add(Comparison.Relative(prefix + "q_continue_logits", result.Outputs.QContinueLogits, fixture.Get(prefix + "q_continue_logits"), ReferenceVerifier.OutputTolerance));
            results.Add(Comparison.Identical(prefix + "preds", result.Predictions, fixture.Get(prefix + "preds")));
            carry = result.Carry;
        }
        return results;
    }

    static ActLossHead LoadAsCheckpointDoes(string directory, out string weightsFile, ReferenceFixture? fixture = null)
    {
        var config = CheckpointFiles.ReadConfig(directory);
        weightsFile = CheckpointFiles.WeightsFile(directory, explicitFile: null, ema: false);
        var weights = CheckpointModel.ReadWeights(weightsFile);
        var layout = CheckpointModel.LayoutOf(config.Arch, weights, weightsFile, seqLen: (fixture ?? Fixture).Manifest.Config.SeqLen);
        foreach (var t in weights.Values) t.Dispose();
        return CheckpointModel.Load(config.Arch, layout, weightsFile, CPU);
    }

    [Fact]
    public void AReferenceCheckpointDirectoryLoadsAndGivesTheFixtureOutputs()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("pretrain_att_sudoku"));

        var config = CheckpointFiles.ReadConfig(checkpoint);
        var expected = Fixture.Manifest.Config;
        Assert.Equal((expected.HiddenSize, expected.HCycles, expected.LCycles, expected.HaltMaxSteps, expected.ForwardDtype),
            (config.Arch.Model.HiddenSize, config.Arch.Model.HCycles, config.Arch.Model.LCycles, config.Arch.Model.HaltMaxSteps, config.Arch.Model.ForwardDtype));

        using var model = LoadAsCheckpointDoes(checkpoint, out var weightsFile);
        Assert.Equal(Path.Combine(checkpoint, ReferenceCheckpoint.StepFile), weightsFile);
        // vocabulary and puzzle count come from the weights' shapes, as the manifest says
        Assert.Equal((expected.VocabSize, expected.NumPuzzleIdentifiers), (model.Model.Inner.Config.VocabSize, model.Model.Inner.Config.NumPuzzleIdentifiers));

        var comparisons = ReplayEvaluation(model);
        Assert.Equal(4 * Fixture.Manifest.EvalSteps, comparisons.Count);
        Assert.All(comparisons, c => Assert.True(c.Passed, c.ToString()));
    }

    [Theory]
    [InlineData("mlpt_learned_f32")]
    [InlineData("hrm_rope_f32")]
    [InlineData("singlez_rope_f32")]
    [InlineData("hier6_rope_f32")]
    [InlineData("baseline_rope_f32")]
    public void AReferenceCheckpointOfEveryArchitectureLoadsAndGivesTheFixtureOutputs(string folder)
    {
        using var dir = new TempDirectory();
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixtureNamed(folder));
        var checkpoint = ReferenceCheckpoint.Create(dir.File("run"), fixture: fixture);

        var config = CheckpointFiles.ReadConfig(checkpoint);
        Assert.Equal(fixture.Manifest.Architecture, config.Arch.Name);
        using var model = LoadAsCheckpointDoes(checkpoint, out _, fixture);
        var comparisons = ReplayEvaluation(model, fixture);
        Assert.Equal(4 * fixture.Manifest.EvalSteps, comparisons.Count);
        // The base tolerance holds here for every fixture except where the reference's own spread widens it.
        Assert.All(comparisons, c => Assert.True(c.Passed || fixture.Manifest.ReferenceSpread![c.Name] * 4 >= c.Error, c.ToString()));
    }

    [Fact]
    public void ABfloat16StepFileLoadsIntoTheFloat32Model()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("run"));
        var original = TorchCheckpointReader.ReadStateDict(Fixture.CompiledCheckpointPath);
        var bf16 = original.ToDictionary(e => e.Key, e => e.Value.to(ScalarType.BFloat16));
        TorchCheckpointWriter.Write(Path.Combine(checkpoint, "step_2000"), bf16, TorchCheckpointReader.CompiledPrefix);   // the latest step: picked

        var read = CheckpointModel.ReadWeights(Path.Combine(checkpoint, "step_2000"));
        Assert.All(read.Values, t => Assert.Equal(ScalarType.BFloat16, t.dtype));

        using var model = LoadAsCheckpointDoes(checkpoint, out var weightsFile);
        Assert.EndsWith("step_2000", weightsFile);
        foreach (var (key, value) in model.state_dict())
        {
            Assert.Equal(ScalarType.Float32, value.dtype);
            TensorAssert.Identical(bf16[key].to(ScalarType.Float32), value);
        }
        // bfloat16 weights (8 bits of mantissa) give outputs near, but not equal to, the float32 reference's
        var logits = ReplayEvaluation(model).Where(c => c.Name.EndsWith(".logits", StringComparison.Ordinal)).ToList();
        Assert.All(logits, c => Assert.InRange(c.Error, 1e-6, 5e-2));
    }

    [Fact]
    public void ConvertingToSafetensorsAndBackGivesIdenticalTensors()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("run"));
        var there = CheckpointConversion.Run(new ConversionRequest(checkpoint, dir.File("model.safetensors")));
        var back = CheckpointConversion.Run(new ConversionRequest(dir.File("model.safetensors"), dir.File("back")));

        var original = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, ReferenceCheckpoint.StepFile));
        var (safetensors, metadata) = SafetensorsReader.Read(dir.File("model.safetensors"));
        var roundTripped = TorchCheckpointReader.ReadStateDict(Path.Combine(dir.File("back"), CheckpointFiles.Weights));
        Assert.Equal(15, original.Count);
        Assert.Equal(original.Keys.Order(), safetensors.Keys.Order());
        Assert.Equal(original.Keys.Order(), roundTripped.Keys.Order());
        foreach (var (key, value) in original)
        {
            TensorAssert.BitIdentical(value, safetensors[key], key);
            TensorAssert.BitIdentical(value, roundTripped[key], key);
        }
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal((15, original.Values.Sum(t => t.numel())), (there.Tensors, there.Parameters));
        Assert.Equal(new[] { "float32" }, there.Dtypes);
        Assert.Equal((15, there.Parameters), (back.Tensors, back.Parameters));

        // the configuration travels in the metadata and comes back as all_config.yaml
        var before = CheckpointFiles.ReadConfig(checkpoint);
        var after = CheckpointFiles.ReadConfig(dir.File("back"));
        Assert.Equal(before.Arch, after.Arch);
        Assert.Equal(before.DataPaths, after.DataPaths);
        Assert.Equal((before.GlobalBatchSize, before.Lr, before.Ema), (after.GlobalBatchSize, after.Lr, after.Ema));
        using var model = LoadAsCheckpointDoes(dir.File("back"), out _);
        Assert.All(ReplayEvaluation(model), c => Assert.True(c.Passed, c.ToString()));
    }

    [Fact]
    public void CastingToBfloat16KeepsNamesAndRoundsEachValue()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("run"));
        var result = CheckpointConversion.Run(new ConversionRequest(checkpoint, dir.File("half.safetensors"), Dtype: "bfloat16"));

        Assert.Equal(new[] { "bfloat16" }, result.Dtypes);
        var original = TorchCheckpointReader.ReadStateDict(Path.Combine(checkpoint, ReferenceCheckpoint.StepFile));
        var (half, _) = SafetensorsReader.Read(dir.File("half.safetensors"));
        foreach (var (key, value) in original) TensorAssert.BitIdentical(value.to(ScalarType.BFloat16), half[key], key);
        Assert.InRange(new FileInfo(dir.File("half.safetensors")).Length, 0, new FileInfo(dir.File($"run/{ReferenceCheckpoint.StepFile}")).Length * 0.55);
    }

    [Fact]
    public void AConfigurationThatDoesNotFitTheWeightsIsRefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("run"));
        File.WriteAllText(dir.File("mlp.yaml"), File.ReadAllText(Path.Combine(checkpoint, "all_config.yaml")).Replace("mlp_t: false", "mlp_t: true"));
        var step = Path.Combine(checkpoint, ReferenceCheckpoint.StepFile);

        var error = Assert.Throws<TrmException>(() => CheckpointConversion.Run(new ConversionRequest(step, dir.File("out.safetensors"), Config: dir.File("mlp.yaml"))));
        Assert.Contains($"{step} with {dir.File("mlp.yaml")} does not fit this model configuration", error.Message);
        Assert.Contains("unexpected keys: model.inner.L_level.layers.0.self_attn.o_proj.weight", error.Message);
        Assert.Contains("missing keys: model.inner.L_level.layers.0.mlp_t.down_proj.weight", error.Message);

        File.WriteAllText(dir.File("wide.yaml"), File.ReadAllText(Path.Combine(checkpoint, "all_config.yaml")).Replace("puzzle_emb_ndim: 64", "puzzle_emb_ndim: 128"));
        error = Assert.Throws<TrmException>(() => CheckpointConversion.Run(new ConversionRequest(step, dir.File("out.safetensors"), Config: dir.File("wide.yaml"))));
        Assert.Contains("model.inner.puzzle_emb.weights: checkpoint [4, 64], model [4, 128]", error.Message);
        Assert.Equal(new[] { "mlp.yaml", "run", "wide.yaml" }, Directory.GetFileSystemEntries(dir.Path).Select(p => Path.GetFileName(p)).Order());
    }
}
