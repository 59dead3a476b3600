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

/// <summary>
/// A step's metrics as numbers: <see cref="Count"/> of the sequences that halted with labels, and over them token
/// accuracy, exact accuracy, q_halt accuracy and steps; and the losses over the batch. Either sums (they add across
/// batches) or, after <see cref="Mean"/>, averages; <see cref="Named"/> gives the reference's names for logs.
/// </summary>
public sealed record ActMetrics(double Count, double Accuracy, double ExactAccuracy, double QHaltAccuracy, double Steps,
    double LmLoss, double QHaltLoss, double? QContinueLoss = null)
{
    public static readonly ActMetrics Zero = new(0, 0, 0, 0, 0, 0, 0);

    public static ActMetrics Of(StepMetrics m)
    {
        static double Value(Tensor t) => t.to(ScalarType.Float64).item<double>();
        return new(Value(m.Count), Value(m.Accuracy), Value(m.ExactAccuracy), Value(m.QHaltAccuracy), Value(m.Steps),
            Value(m.LmLoss), Value(m.QHaltLoss), m.QContinueLoss is null ? null : Value(m.QContinueLoss));
    }

    public ActMetrics Add(ActMetrics o) => new(Count + o.Count, Accuracy + o.Accuracy, ExactAccuracy + o.ExactAccuracy,
        QHaltAccuracy + o.QHaltAccuracy, Steps + o.Steps, LmLoss + o.LmLoss, QHaltLoss + o.QHaltLoss,
        QContinueLoss is null && o.QContinueLoss is null ? null : (QContinueLoss ?? 0) + (o.QContinueLoss ?? 0));

    /// <summary>Averages as the reference logs them: the sequence metrics per counted sequence, the losses per <paramref name="lossDivisor"/>.</summary>
    public ActMetrics Mean(double lossDivisor)
    {
        double count = Math.Max(Count, 1);
        return new(Count, Accuracy / count, ExactAccuracy / count, QHaltAccuracy / count, Steps / count,
            LmLoss / lossDivisor, QHaltLoss / lossDivisor, QContinueLoss / lossDivisor);
    }

    /// <summary>The metrics under the reference's names (<c>q_continue_loss</c> only where the Q-continue head trains).</summary>
    public IEnumerable<(string Name, double Value)> Named()
    {
        yield return ("count", Count);
        yield return ("accuracy", Accuracy);
        yield return ("exact_accuracy", ExactAccuracy);
        yield return ("q_halt_accuracy", QHaltAccuracy);
        yield return ("steps", Steps);
        yield return ("lm_loss", LmLoss);
        yield return ("q_halt_loss", QHaltLoss);
        if (QContinueLoss is { } q) yield return ("q_continue_loss", q);
    }
}
