using Trm.Model;

namespace Trm.Benchmarking;

/// <summary>
/// Matrix-product FLOPs of a TRM configuration, counted analytically (one multiply-add = 2 FLOPs) for ONE
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
/// net         = L_layers * (attention or mlp_t  +  swiglu)          one application of the 2-layer net
/// heads       = 2*seq_len*D*V (lm_head, on the seq_len answer positions only) + 2*D*2 (q_head, position 0)
/// forward     = H_cycles * (L_cycles + 1) * net + heads             one supervision step
/// backward    = 2 * ((L_cycles + 1) * net + heads)                  only the last H cycle records gradients
/// train step  = forward + backward  (+ one more forward, no gradient, when no_ACT_continue is false)
/// </code>
/// </summary>
public sealed record ModelFlops(double NetApplication, double Heads, double Forward, double Backward, double TrainStep)
{
    public static ModelFlops Of(TrmConfig config)
    {
        double s = config.TotalSeqLen, d = config.HiddenSize;
        double inter = SwiGlu.InterSize(config.HiddenSize, config.Expansion);
        double mixing = config.MlpT
            ? 6 * s * d * SwiGlu.InterSize(config.TotalSeqLen, config.Expansion)
            : 8 * s * d * d + 4 * s * s * d;
        double net = config.LLayers * (mixing + 6 * s * d * inter);
        double heads = 2.0 * config.SeqLen * d * config.VocabSize + 2 * d * 2;
        double applications = config.HCycles * (config.LCycles + 1.0);
        double forward = applications * net + heads;
        double backward = 2 * ((config.LCycles + 1.0) * net + heads);
        double extraForward = config.NoActContinue ? 0 : forward;   // the bootstrapped Q-continue target's forward
        return new ModelFlops(net, heads, forward, backward, forward + backward + extraForward);
    }
}
