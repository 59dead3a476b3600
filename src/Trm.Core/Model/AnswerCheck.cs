using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// Whether predictions (B, S) match labels (B, S; <see cref="ActLossHead.IgnoreLabelId"/> where a position does not
/// count): <see cref="Mask"/> (B, S), labelled positions per sequence (B), their count clamped to 1 as a divisor (B, 1),
/// token accuracy per sequence (B, float32, over its labelled positions) and whether the whole sequence is right (B). Shared by the loss head and the
/// evaluators, so that every metric is computed one way.
/// </summary>
public sealed record AnswerCheck(Tensor Mask, Tensor LabelledCounts, Tensor Divisor, Tensor TokenAccuracy, Tensor SeqIsCorrect)
{
    public static AnswerCheck Of(Tensor predictions, Tensor labels)
    {
        var mask = labels != ActLossHead.IgnoreLabelId;
        var labelledCounts = mask.sum(-1);
        var isCorrect = mask & (predictions == labels);
        var divisor = labelledCounts.clamp_min(1).unsqueeze(-1);
        var tokenAccuracy = (isCorrect.to(ScalarType.Float32) / divisor).sum(-1);
        return new AnswerCheck(mask, labelledCounts, divisor, tokenAccuracy, isCorrect.sum(-1) == labelledCounts);
    }

    /// <summary>
    /// Sums over the sequences that <paramref name="halted"/> (B) and have a labelled position: their count, token
    /// accuracy, exact answers, how often q_halt &gt;= 0 agreed with exactness (<paramref name="qHaltLogits"/> (B)),
    /// and the <paramref name="steps"/> (B) they took.
    /// </summary>
    public (Tensor Count, Tensor Accuracy, Tensor ExactAccuracy, Tensor QHaltAccuracy, Tensor Steps) Sums(Tensor halted, Tensor qHaltLogits, Tensor steps)
    {
        var valid = halted & (LabelledCounts > 0);
        return (valid.sum(),
            where(valid, TokenAccuracy, zeros_like(TokenAccuracy)).sum(),
            (valid & SeqIsCorrect).sum(),
            (valid & ((qHaltLogits >= 0) == SeqIsCorrect)).sum(),
            where(valid, steps, zeros_like(steps)).sum());
    }
}
