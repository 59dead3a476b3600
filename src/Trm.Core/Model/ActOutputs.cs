using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// One supervision step's outputs: logits (B, seq_len, vocab), Q logits (B) in float32, and in the
/// no_ACT_continue = false variant the bootstrapped Q-continue target (B).
/// </summary>
public sealed record ActOutputs(Tensor Logits, Tensor QHaltLogits, Tensor QContinueLogits, Tensor? TargetQContinue);
