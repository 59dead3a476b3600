using System.Text.Json;
using Trm.Model;

namespace Trm.Tests.Model;

public class TrmConfigTests
{
    [Fact]
    public void TheHeadDimensionIsHiddenSizeFloorDividedByHeadsAndEvenForRotary()
    {
        // As the reference computes it: the transformer baseline's preset has 512 / 12 heads -> 42 each.
        var baseline = (TinyModels.Config() with { HiddenSize = 512, NumHeads = 12 }).Validate();
        Assert.Equal(42, baseline.HeadDim);
        var error = Assert.Throws<TrmException>(() => (TinyModels.Config() with { HiddenSize = 30, NumHeads = 4 }).Validate());
        Assert.Contains("rotary positions need an even head dimension (hidden_size // num_heads = 7)", error.Message);
        var tooMany = Assert.Throws<TrmException>(() => (TinyModels.Config() with { HiddenSize = 8, NumHeads = 16 }).Validate());
        Assert.Contains("num_heads must be between 1 and hidden_size (8) (is 16)", tooMany.Message);
    }

    [Fact]
    public void AllProblemsAreReportedTogether()
    {
        var error = Assert.Throws<TrmException>(() => (TinyModels.Config() with { HiddenSize = 30, NumHeads = 4, LCycles = 0 }).Validate());
        Assert.Contains("even head dimension", error.Message);
        Assert.Contains("L_cycles must be an integer from 1 to 1024 (is 0)", error.Message);
        Assert.DoesNotContain('\n', error.Message);   // trm prints one line per error
    }

    [Theory]
    [InlineData(Architecture.Trm, false, "rope")]
    [InlineData(Architecture.Trm, true, "none")]
    [InlineData(Architecture.Trm, false, "learned")]
    [InlineData(Architecture.Hrm, false, "rope")]
    [InlineData(Architecture.TrmSingleZ, false, "rope")]
    [InlineData(Architecture.TrmHier6, false, "rope")]
    [InlineData(Architecture.TransformersBaseline, false, "learned")]
    public void StateValuesCountEveryValueOfTheStateDict(Architecture architecture, bool mlpT, string pos)
    {
        var config = TinyModels.Config(mlpT, pos) with { Architecture = architecture, HLayers = 3, NumHeads = 4 };
        using var model = new ActLossHead(config);
        Assert.Equal(model.state_dict().Values.Sum(t => t.numel()), config.StateValues());
        Assert.Equal(long.MaxValue, (config with { HiddenSize = int.MaxValue, VocabSize = int.MaxValue }).StateValues());
    }

    [Fact]
    public void AModelLargerThanTheMachinesMemoryIsRefusedBeforeItIsBuilt()
    {
        // As a dataset.json declaring the largest vocab_size its limits allow, with the largest hidden_size: 550 GB of embeddings,
        // refused with the fields, not an allocation failure.
        var error = Assert.Throws<TrmException>(() => new ActLossHead(TinyModels.Config() with { VocabSize = 1 << 20, HiddenSize = 1 << 16 }));
        Assert.Contains("a model of ", error.Message);
        Assert.Contains("more than this machine's", error.Message);
        Assert.Contains("vocab_size 1048576 x hidden_size 65536", error.Message);
        Assert.Contains("dataset.json", error.Message);
        var tiny = TinyModels.Config();
        Assert.Same(tiny, tiny.RequireFits(tiny.StateValues() * sizeof(float)));
        Assert.Throws<TrmException>(() => tiny.RequireFits(tiny.StateValues() * sizeof(float) - 1));
    }

    [Fact]
    public void AnUnknownNameIsRefusedWithTheKnownOnes()
    {
        var positions = Assert.Throws<ReferenceNameException>(() => JsonSerializer.Deserialize<TrmConfig>("""{"pos_encodings": "sinusoid"}"""));
        Assert.Equal("must be rope, learned or none (is 'sinusoid')", positions.Message);
        Assert.Equal("$.pos_encodings", positions.Path);
        var dtype = Assert.Throws<TrmException>(() => Trm.Configuration.ConfigLoader.FromYaml("arch:\n  forward_dtype: fp8\n", "test.yaml", []));
        Assert.Equal("test.yaml: arch.forward_dtype must be float32, bfloat16 or float16 (is 'fp8').", dtype.Message);
        var architecture = Assert.Throws<TrmException>(() => Trm.Configuration.ConfigLoader.FromYaml("arch:\n  name: recursive_reasoning.grm@Model\n", "test.yaml", []));
        Assert.Contains("arch.name must be one of the known architectures: trm (recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1), " +
            "hrm (recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1), trm_singlez (", architecture.Message);
        Assert.Contains("transformers_baseline (recursive_reasoning.transformers_baseline@Model_ACTV2) (is 'recursive_reasoning.grm@Model')", architecture.Message);
        Assert.Equal(Architecture.Trm, Trm.Configuration.ConfigLoader.FromYaml("arch:\n  name: trm\n", "test.yaml", []).Arch.Name);
    }

    [Fact]
    public void PuzzleEmbeddingMustFitItsPositions()
    {
        var error = Assert.Throws<TrmException>(() => (TinyModels.Config() with { PuzzleEmbNdim = 100, PuzzleEmbLen = 2, HiddenSize = 32 }).Validate());
        Assert.Contains("puzzle_emb_ndim (100) must fit in puzzle_emb_len x hidden_size (2 x 32)", error.Message);
    }

    [Fact]
    public void ZeroPuzzleEmbLenMeansCeilingOfNdimOverHidden()
    {
        var config = TinyModels.Config() with { PuzzleEmbLen = 0, PuzzleEmbNdim = 40, HiddenSize = 32 };
        Assert.Equal(2, config.EffectivePuzzleEmbLen);
        Assert.Equal(config.SeqLen + 2, config.TotalSeqLen);
    }

    [Fact]
    public void ReadsTheReferenceFieldNames()
    {
        var json = """{"hidden_size": 64, "H_cycles": 2, "L_cycles": 3, "L_layers": 2, "num_heads": 4, "pos_encodings": "learned", "no_ACT_continue": false, "seq_len": 81, "vocab_size": 11, "mlp_t": true, "expansion": 4}""";
        var config = JsonSerializer.Deserialize<TrmConfig>(json)!;
        Assert.Equal((64, 2, 3, 4, PosEncoding.Learned, false, true), (config.HiddenSize, config.HCycles, config.LCycles, config.NumHeads, config.PosEncodings, config.NoActContinue, config.MlpT));
    }

    [Theory]
    [InlineData(512, 4.0, 1536)]   // round(1365.33) = 1365 -> 1536
    [InlineData(64, 4.0, 256)]     // the fixture: round(170.67) = 171 -> 256
    [InlineData(97, 4.0, 512)]     // mlp_t over 81 + 16 positions: round(258.67) = 259 -> 512
    public void SwiGluWidthRoundsUpToMultiplesOf256(int dim, double expansion, long expected) =>
        Assert.Equal(expected, SwiGlu.InterSize(dim, expansion));

    [Fact]
    public void SwiGluRoundsHalfToEvenLikePython()
    {
        // 0.75 * 513 * 2/3 = 256.5: Python's round gives 256 (-> 256); rounding half up would give 257 (-> 512).
        Assert.Equal(256, SwiGlu.InterSize(dim: 513, expansion: 0.75));
    }
}
