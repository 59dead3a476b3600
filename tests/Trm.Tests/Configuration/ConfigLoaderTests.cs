using Trm.Model;
using Trm.Configuration;

namespace Trm.Tests.Configuration;

public class ConfigLoaderTests
{
    const string Minimal = """
        defaults:
          - arch: trm
          - _self_
        hydra:
          output_subdir: null
        arch:
          name: recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1
          loss:
            name: losses@ACTLossHead
            loss_type: stablemax_cross_entropy
          H_cycles: 3
          L_cycles: 6
          hidden_size: 64
          num_heads: 2
          puzzle_emb_ndim: 64
        data_paths: ['data/sudoku']
        global_batch_size: 768
        epochs: 100
        eval_interval: 10
        lr: 1e-4
        lr_min_ratio: 1.0
        lr_warmup_steps: 2000
        beta1: 0.9
        beta2: 0.95
        weight_decay: 0.1
        puzzle_emb_weight_decay: 0.1
        puzzle_emb_lr: 1e-2
        ema: False
        """;

    static TrainConfig Load(params string[] overrides) => ConfigLoader.FromYaml(Minimal, "test.yaml", overrides);

    [Fact]
    public void ReadsTheReferenceShapeIgnoringHydraKeys()
    {
        var config = Load();
        Assert.Equal(1e-4, config.Lr);
        Assert.Equal(6, config.Arch.Model.LCycles);
        Assert.Equal(64, config.Arch.Model.HiddenSize);
        Assert.Equal(16, config.Arch.Model.HaltMaxSteps);   // the reference's default where the file is silent
        Assert.Equal(["data/sudoku"], config.DataPaths);
        Assert.False(config.Ema);
        Assert.Equal(10, config.TotalIterations);
    }

    [Fact]
    public void OverridesWorkLikeTheReferenceCommandLine()
    {
        var config = Load("arch.L_cycles=4", "epochs=2000", "eval_interval=500", "+run_name=mine", "data_paths=[data/a,data/b]", "arch.mlp_t=True", "arch.loss.loss_type=softmax_cross_entropy");
        Assert.Equal(4, config.Arch.Model.LCycles);
        Assert.True(config.Arch.Model.MlpT);
        Assert.Equal(LossType.SoftmaxCrossEntropy, config.Arch.Loss.LossType);
        Assert.Equal(2000, config.Epochs);
        Assert.Equal("mine", config.RunName);
        Assert.Equal(["data/a", "data/b"], config.DataPaths);
    }

    [Theory]
    [InlineData("epoch=5", "unknown key 'epoch' (did you mean 'epochs'?)")]
    [InlineData("arch.L_cycle=4", "unknown key 'arch.L_cycle' (did you mean 'arch.L_cycles'?)")]
    [InlineData("epochs=many", "'epochs' has the wrong type")]
    [InlineData("arch.seq_len=81", "arch.seq_len is taken from the dataset")]
    [InlineData("epochs", "must look like key=value")]
    public void BadKeysAndValuesAreNamed(string assignment, string expected)
    {
        var error = Assert.Throws<TrmException>(() => Load(assignment));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("test.yaml", error.Message.Replace("override 'epochs'", "test.yaml"));
    }

    [Fact]
    public void ValidationListsEveryProblem()
    {
        var error = Assert.Throws<TrmException>(() => Load("eval_interval=30", "arch.num_heads=3", "ema_rate=2").Validate("test.yaml"));
        Assert.Contains("eval_interval (30) must divide epochs (100)", error.Message);
        Assert.Contains("rotary positions need an even head dimension (hidden_size // num_heads = 21)", error.Message);
        Assert.Contains("ema_rate must be a number above 0 and below 1 (is 2)", error.Message);
    }

    [Fact]
    public void WrittenConfigReadsBackEqual()
    {
        var config = Load("arch.L_cycles=4", "+run_name=x");
        var again = ConfigLoader.FromYaml(ConfigLoader.ToYaml(config), "all_config.yaml", []);
        Assert.Equal(ConfigLoader.ToYaml(config), ConfigLoader.ToYaml(again));
        Assert.Equal(config.Arch, again.Arch);
        Assert.Equal(config.DataPaths, again.DataPaths);
    }

    [Fact]
    public void EveryPresetLoadsAndValidates()
    {
        Assert.Equal(["arc1", "arc2", "hrm-arc1", "hrm-maze", "hrm-sudoku", "maze", "sudoku-4layers-n3", "sudoku-act-continue", "sudoku-att", "sudoku-baseline", "sudoku-hier6", "sudoku-mlp", "sudoku-no-ema", "sudoku-singlez", "sudoku-t2n2", "sudoku4-cpu"], Presets.Names);
        foreach (var name in Presets.Names) Presets.Load(name, []).Validate(name);
    }

    [Fact]
    public void PresetsFollowThePaper()
    {
        var mlp = Presets.Load("sudoku-mlp", []);
        Assert.True(mlp.Arch.Model.MlpT);
        Assert.Equal(PosEncoding.None, mlp.Arch.Model.PosEncodings);
        Assert.Equal((3, 6, 1.0, 1e-4), (mlp.Arch.Model.HCycles, mlp.Arch.Model.LCycles, mlp.WeightDecay, mlp.PuzzleEmbLr));
        var arc = Presets.Load("arc1", []);
        Assert.Equal((3, 4, 1e-2, 100000), (arc.Arch.Model.HCycles, arc.Arch.Model.LCycles, arc.PuzzleEmbLr, arc.Epochs));
        Assert.Equal(EvaluatorConfig.Arc, Assert.Single(arc.Evaluators).Name);
        Assert.Equal(4, Presets.Load("maze", []).Arch.Model.LCycles);

        // HRM as config/arch/hrm.yaml and the HRM paper's Sudoku command; the ablations differ from sudoku-mlp in one place.
        var hrm = Presets.Load("hrm-sudoku", []);
        Assert.Equal(Architecture.Hrm, hrm.Arch.Name);
        Assert.Equal((512, 2, 2, 4, 4, 1, false), (hrm.Arch.Model.HiddenSize, hrm.Arch.Model.HCycles, hrm.Arch.Model.LCycles,
            hrm.Arch.Model.HLayers, hrm.Arch.Model.LLayers, hrm.Arch.Model.EffectivePuzzleEmbLen, hrm.Arch.Model.NoActContinue));
        Assert.Equal((20000, 1e-4, 1.0, false), (hrm.Epochs, hrm.Lr, hrm.WeightDecay, hrm.Ema));
        Assert.Equal(Architecture.Hrm, Presets.Load("hrm-maze", []).Arch.Name);
        Assert.Equal(EvaluatorConfig.Arc, Assert.Single(Presets.Load("hrm-arc1", []).Evaluators).Name);
        Assert.Equal(Architecture.TrmSingleZ, Presets.Load("sudoku-singlez", []).Arch.Name);
        Assert.Equal(Architecture.TrmHier6, Presets.Load("sudoku-hier6", []).Arch.Name);
        var baseline = Presets.Load("sudoku-baseline", []).Arch.Model;
        Assert.Equal((Architecture.TransformersBaseline, 8, 42), (baseline.Architecture, baseline.HLayers, baseline.HeadDim));
        void SameAs(TrainConfig expected, string preset) => Assert.Equal(ConfigLoader.ToYaml(expected), ConfigLoader.ToYaml(Presets.Load(preset, [])));
        SameAs(mlp with { Arch = mlp.Arch with { Model = mlp.Arch.Model with { HCycles = 2, LCycles = 2 } } }, "sudoku-t2n2");
        SameAs(mlp with { Ema = false }, "sudoku-no-ema");
        SameAs(mlp with { Arch = mlp.Arch with { Model = mlp.Arch.Model with { LLayers = 4, LCycles = 3 } } }, "sudoku-4layers-n3");
        SameAs(mlp with { Arch = mlp.Arch with { Model = mlp.Arch.Model with { NoActContinue = false } } }, "sudoku-act-continue");
    }

    [Theory]
    [InlineData("hrm", "arch.puzzle_emb_len", "is not a field of hrm (recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1)")]
    [InlineData("transformers_baseline", "arch.L_cycles", "is not a field of transformers_baseline (recursive_reasoning.transformers_baseline@Model_ACTV2)")]
    [InlineData("trm", "arch.act_enabled", "is not a field of trm (recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1)")]
    public void AFieldOfAnotherArchitectureIsRefusedByName(string architecture, string field, string expected)
    {
        var yaml = $"arch:\n  name: {architecture}\n  {field["arch.".Length..]}: 1\n";
        var error = Assert.Throws<TrmException>(() => ConfigLoader.FromYaml(yaml, "test.yaml", []));
        Assert.StartsWith($"test.yaml: {field} {expected}; its fields are ", error.Message);
    }

    [Fact]
    public void EachArchitectureReadsAndWritesOnlyItsOwnFieldsWithItsDefaults()
    {
        var hrm = ConfigLoader.FromYaml("arch:\n  name: hrm\n  hidden_size: 64\n  num_heads: 4\n  puzzle_emb_ndim: 100\n", "test.yaml", []);
        // HRM places the puzzle embedding on ceil(puzzle_emb_ndim / hidden_size) positions and learns the Q-continue head.
        Assert.Equal((2, 4, 4, true), (hrm.Arch.Model.EffectivePuzzleEmbLen, hrm.Arch.Model.HLayers, hrm.Arch.Model.LLayers, hrm.Arch.Model.LearnsQContinue));
        var yaml = ConfigLoader.ToYaml(hrm);
        Assert.Contains("name: recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1", yaml);
        Assert.DoesNotContain("puzzle_emb_len", yaml);
        Assert.DoesNotContain("no_ACT_continue", yaml);
        Assert.Equal(hrm.Arch, ConfigLoader.FromYaml(yaml, "all_config.yaml", []).Arch);

        var baseline = ConfigLoader.FromYaml("arch:\n  name: transformers_baseline\n  hidden_size: 48\n  num_heads: 3\n", "test.yaml", []).Arch.Model;
        Assert.Equal((8, true, false, false), (baseline.HLayers, baseline.ActEnabled, baseline.ActInference, baseline.LearnsQContinue));
        Assert.DoesNotContain("L_cycles", ConfigLoader.ToYaml(ConfigLoader.FromYaml("arch:\n  name: transformers_baseline\n", "test.yaml", [])));
    }

    [Fact]
    public void SixLatentsAllowAtMostSixLCycles()
    {
        var error = Assert.Throws<TrmException>(() => ConfigLoader.FromYaml("arch:\n  name: trm_hier6\n  L_cycles: 7\n", "test.yaml", []).Validate("test.yaml"));
        Assert.Contains("L_cycles must be at most 6 for trm_hier6", error.Message);
    }

    [Fact]
    public void UnknownPresetListsThePresets()
    {
        var error = Assert.Throws<TrmException>(() => Presets.Load("sudoku-big", []));
        Assert.Contains("no such config file or preset", error.Message);
        Assert.Contains("sudoku4-cpu", error.Message);
    }
}
