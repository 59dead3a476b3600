using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary><c>arch.loss.loss_type</c>: the token loss.</summary>
[JsonConverter(typeof(ReferenceNameConverter<LossType>))]
public enum LossType
{
    [JsonStringEnumMemberName("stablemax_cross_entropy")] StablemaxCrossEntropy,
    [JsonStringEnumMemberName("softmax_cross_entropy")] SoftmaxCrossEntropy,
}

/// <summary>Per-position token losses, (B, S) with 0 where <c>mask</c> is false.</summary>
public static class LossFunctions
{
    public static Func<Tensor, Tensor, Tensor, Tensor> Of(LossType type) => type == LossType.SoftmaxCrossEntropy ? Softmax : Stablemax;

    /// <summary>
    /// Cross-entropy under stablemax, s(x) = x + 1 for x &gt;= 0 and 1 / (1 - x) below, which grows
    /// linearly instead of exponentially; computed in float64 as the reference does.
    /// </summary>
    public static Tensor Stablemax(Tensor logits, Tensor labels, Tensor mask)
    {
        var x = logits.to(ScalarType.Float64);
        var s = where(x < 0, 1 / (1 - x + 1e-30), x + 1);
        var logProbs = log(s / s.sum(-1, keepdim: true));
        var safeLabels = where(mask, labels, zeros_like(labels)).to(ScalarType.Int64).unsqueeze(-1);
        var picked = logProbs.gather(-1, safeLabels).squeeze(-1);
        return -where(mask, picked, zeros_like(picked));
    }

    /// <summary>Ordinary softmax cross-entropy in float32.</summary>
    public static Tensor Softmax(Tensor logits, Tensor labels, Tensor mask)
    {
        var vocab = logits.shape[^1];
        var safeLabels = where(mask, labels, zeros_like(labels)).to(ScalarType.Int64);
        var loss = nn.functional.cross_entropy(logits.to(ScalarType.Float32).view(-1, vocab), safeLabels.view(-1), reduction: nn.Reduction.None).view(labels.shape);
        return where(mask, loss, zeros_like(loss));
    }
}
