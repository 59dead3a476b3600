using Trm.Model;

namespace Trm.Benchmarking;

/// <summary>
/// Matrix-product FLOPs of a configuration of any architecture, counted analytically (one multiply-add = 2 FLOPs) for ONE
/// sample (batch row); multiply by the batch for a batch. Only matrix products are counted: RMS norms,
/// rotary, softmax, SiLU, residual adds, casts, the loss and the optimizers are not, so "achieved GFLOP/s"
/// is the rate of useful matrix work, comparable with a matrix-product ceiling.
/// <code>
/// S = puzzle_emb_len + seq_len  (the latent length),  D = hidden_size,  V = vocab_size
/// inter   = round_up(round(expansion * D * 2/3), 256)       (SwiGLU width over features)
/// inter_t = round_up(round(expansion * S * 2/3), 256)       (mlp_t width over positions)
/// attention   = 2*S*D*3D (qkv_proj) + 2*S*S*D (q k^T, all heads) + 2*S*S*D (scores v) + 2*S*D*D (o_proj)
///             = 8*S*D^2 + 4*S^2*D
/// mlp_t       = 2*D*S*2*inter_t (gate_up over positions) + 2*D*inter_t*S (down) = 6*S*D*inter_t
/// swiglu      = 2*S*D*2*inter (gate_up) + 2*S*inter*D (down)                     = 6*S*D*inter
/// block       = attention or mlp_t  +  swiglu                       one layer
/// net_L       = L_layers * block,  net_H = H_layers * block          one application of a level
/// heads       = 2*seq_len*D*V (lm_head, on the seq_len answer positions only) + 2*D*2 (q_head, position 0)
/// forward     = sum over levels of applications per supervision step * net + heads
/// backward    = 2 * (sum over levels of applications that record gradients * net + heads)
/// with the applications each architecture's definition gives (ArchitectureDefinition.Levels):
///   TRM, single z, six latents: H_cycles * (L_cycles + 1) applications of net_L, the last L_cycles + 1 with gradient
///   HRM:                        H_cycles * L_cycles of net_L and H_cycles of net_H, one of each with gradient
///   transformer baseline:       one application of net_H, with gradient
/// train step  = forward + backward  (+ one more forward, no gradient, when the Q-continue head is learned)
/// </code>
/// <see cref="NetApplication"/> is one application of the architecture's first level: net_L (net_H for the baseline).
/// </summary>
public sealed record ModelFlops(double NetApplication, double Heads, double Forward, double Backward, double TrainStep)
{
    /// <summary>Layers in the application <see cref="NetApplication"/> counts: H_layers for the baseline, else L_layers.</summary>
    public static int NetLayers(TrmConfig config) => ArchitectureDefinition.Of(config.Architecture).Levels(config)[0].Layers;

    public static ModelFlops Of(TrmConfig config)
    {
        double s = config.TotalSeqLen, d = config.HiddenSize;
        double inter = SwiGlu.InterSize(config.HiddenSize, config.Expansion);
        double mixing = config.MlpT
            ? 6 * s * d * SwiGlu.InterSize(config.TotalSeqLen, config.Expansion)
            : 8 * s * d * d + 4 * s * s * d;
        double block = mixing + 6 * s * d * inter;
        double heads = 2.0 * config.SeqLen * d * config.VocabSize + 2 * d * 2;
        var levels = ArchitectureDefinition.Of(config.Architecture).Levels(config);
        double Net(LevelApplications level) => level.Layers * block;   // one application of the level
        double net = Net(levels[0]);
        double forwardNets = levels.Sum(level => level.Applications * Net(level));
        double gradientNets = levels.Sum(level => level.WithGradient * Net(level));
        double forward = forwardNets + heads;
        double backward = 2 * (gradientNets + heads);
        double extraForward = config.LearnsQContinue ? forward : 0;   // the bootstrapped Q-continue target's forward
        return new ModelFlops(net, heads, forward, backward, forward + backward + extraForward);
    }
}
