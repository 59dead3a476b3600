using static TorchSharp.torch;

namespace Trm.Model;

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
