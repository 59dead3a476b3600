using Trm.Benchmarking;
using Trm.Model;

namespace Trm.Tests.Benchmarking;

public class ModelFlopsTests
{
    // S = 2 puzzle positions + 4 tokens = 6, D = 8, SwiGLU width round(2 * 8 * 2/3) = 11 -> 256, V = 5.
    static readonly TrmConfig Tiny = new()
    {
        SeqLen = 4, VocabSize = 5, NumPuzzleIdentifiers = 2,
        HiddenSize = 8, NumHeads = 2, Expansion = 2, HCycles = 2, LCycles = 1, LLayers = 1,
        PuzzleEmbNdim = 16, PuzzleEmbLen = 2, ForwardDtype = ForwardDtype.Float32,
    };

    [Fact]
    public void AttentionConfigMatchesAHandCount()
    {
        var flops = ModelFlops.Of(Tiny);

        // qkv 2*6*8*24 = 2304, q k^T 2*6*6*8 = 576, scores v 576, o_proj 2*6*8*8 = 768,
        // gate_up 2*6*8*512 = 49152, down 2*6*256*8 = 24576: one layer, one net application = 77952.
        Assert.Equal(77952, flops.NetApplication);
        // lm_head on the 4 token positions 2*4*8*5 = 320, q_head 2*8*2 = 32.
        Assert.Equal(352, flops.Heads);
        // H_cycles 2 x (L_cycles 1 + 1) = 4 net applications, then the heads.
        Assert.Equal(4 * 77952 + 352, flops.Forward);
        // Backward of the last H cycle only: 2 x (2 net applications + heads).
        Assert.Equal(2 * (2 * 77952 + 352), flops.Backward);
        Assert.Equal(624672, flops.TrainStep);
    }

    [Fact]
    public void EachArchitectureCountsItsOwnRecursion()
    {
        const double layer = 77952, heads = 352;   // one layer applied once, and the heads, of the hand count above
        // HRM, one L and two H layers: H_cycles 2 x (L_cycles 1 L + 1 H) applications; the last L and H with gradient;
        // it learns the Q-continue head, so a training step runs one more forward.
        var hrm = ModelFlops.Of(Tiny with { Architecture = Architecture.Hrm, HLayers = 2, PuzzleEmbLen = 0, NoActContinue = false });
        Assert.Equal(2 * (layer + 2 * layer) + heads, hrm.Forward);
        Assert.Equal(2 * (layer + 2 * layer + heads), hrm.Backward);
        Assert.Equal(2 * hrm.Forward + hrm.Backward, hrm.TrainStep);
        // The baseline, three layers: one application, with gradient, and no Q-continue forward.
        var baseline = ModelFlops.Of(Tiny with { Architecture = Architecture.TransformersBaseline, HLayers = 3, PuzzleEmbLen = 0, NoActContinue = false });
        Assert.Equal((3 * layer, 3 * layer + heads, 2 * (3 * layer + heads)), (baseline.NetApplication, baseline.Forward, baseline.Backward));
        Assert.Equal(baseline.Forward + baseline.Backward, baseline.TrainStep);
        Assert.Equal(3, ModelFlops.NetLayers(Tiny with { Architecture = Architecture.TransformersBaseline, HLayers = 3 }));
        // Single z and six latents apply the net as often as TRM (L_cycles + 1 per H cycle).
        foreach (var ablation in new[] { Architecture.TrmSingleZ, Architecture.TrmHier6 })
            Assert.Equal(ModelFlops.Of(Tiny), ModelFlops.Of(Tiny with { Architecture = ablation }));
    }

    [Fact]
    public void MlpTConfigMatchesAHandCount()
    {
        // mlp_t width over the 6 positions: round(2 * 6 * 2/3) = 8 -> 256; applied to each of the 8 features:
        // gate_up 2*8*6*512 = 49152, down 2*8*256*6 = 24576; plus the SwiGLU over features 73728.
        Assert.Equal(147456, ModelFlops.Of(Tiny with { MlpT = true, PosEncodings = PosEncoding.None }).NetApplication);
    }

    [Fact]
    public void DoublingLCyclesScalesTheRecursionAsHTimesLPlusOne()
    {
        var paper = new TrmConfig { SeqLen = 81, VocabSize = 11, HCycles = 3, LCycles = 6, LLayers = 2 };
        var single = ModelFlops.Of(paper);
        var doubled = ModelFlops.Of(paper with { LCycles = 12 });

        Assert.Equal(single.NetApplication, doubled.NetApplication);
        // Forward: 3 x 7 = 21 net applications become 3 x 13 = 39; backward: 7 become 13.
        Assert.Equal(39.0 / 21, (doubled.Forward - doubled.Heads) / (single.Forward - single.Heads), 12);
        Assert.Equal(13.0 / 7, (doubled.Backward - 2 * doubled.Heads) / (single.Backward - 2 * single.Heads), 12);
    }

    [Fact]
    public void NetCountEqualsTwicePerPositionTheRealLayersWeightsPlusAttentionProducts()
    {
        // A linear layer costs 2 FLOPs per weight per row it is applied to; attention adds q k^T and scores v.
        foreach (var mlpT in new[] { false, true })
        {
            var config = new TrmConfig
            {
                SeqLen = 30, VocabSize = 7, HiddenSize = 64, NumHeads = 4, Expansion = 4, LLayers = 2,
                PuzzleEmbNdim = 64, PuzzleEmbLen = 2, MlpT = mlpT, PosEncodings = mlpT ? PosEncoding.None : PosEncoding.Rope, ForwardDtype = ForwardDtype.Float32,
            };
            using var model = new ActLossHead(config);
            var layerWeights = model.named_parameters().Where(p => p.name.Contains(".L_level.layers.")).ToList();
            double s = config.TotalSeqLen, d = config.HiddenSize;
            double mixingWeights = layerWeights.Where(p => p.name.Contains(".mlp_t.")).Sum(p => p.parameter.numel());
            double otherWeights = layerWeights.Sum(p => p.parameter.numel()) - mixingWeights;
            // mlp_t's weights act on each of the D feature rows; all the others on each of the S positions.
            double expected = 2 * d * mixingWeights + 2 * s * otherWeights + (mlpT ? 0 : config.LLayers * 4 * s * s * d);

            Assert.Equal(expected, ModelFlops.Of(config).NetApplication);
        }
    }

    [Fact]
    public void TheQContinueVariantAddsOneForwardToATrainingStep()
    {
        var act = ModelFlops.Of(Tiny);
        var bootstrapped = ModelFlops.Of(Tiny with { NoActContinue = false });
        Assert.Equal(act.TrainStep + act.Forward, bootstrapped.TrainStep);
    }
}
