using Trm.Model;

namespace Trm.Evaluation;

/// <summary>
/// Test metrics of one set, averaged over its <see cref="Count"/> labelled examples: exact accuracy
/// (whole answer right) with a 95 % Wilson interval, token accuracy, ACT steps used, how often
/// q_halt &gt;= 0 agreed with exactness, and the losses.
/// </summary>
public sealed record SetMetrics(string Set, long Count, double ExactAccuracy, double TokenAccuracy, double MeanSteps,
    double QHaltAccuracy, double LmLoss, double QHaltLoss)
{
    public (double Low, double High) ExactAccuracyInterval => WilsonInterval(ExactAccuracy, Count);

    /// <summary>With test-time compute: the share of examples that any run answered exactly (the oracle, pass@K); null otherwise.</summary>
    public double? OracleExactAccuracy { get; init; }

    /// <summary>With test-time compute: how well sigmoid(q_halt) ranks exactly right runs above wrong ones (area under the ROC
    /// curve over every run of the set: 1 perfect, 0.5 chance; NaN when all runs are right or all wrong); null otherwise.</summary>
    public double? QAlignment { get; init; }

    /// <summary>A set's metrics from their sums over its examples, losses averaged per example like the rest.</summary>
    public static SetMetrics From(string set, ActMetrics sums)
    {
        var mean = sums.Mean(lossDivisor: Math.Max(sums.Count, 1));
        return new(set, (long)sums.Count, mean.ExactAccuracy, mean.Accuracy, mean.Steps, mean.QHaltAccuracy, mean.LmLoss, mean.QHaltLoss);
    }

    /// <summary>Metric name -> value, with the reference's names (for logs and TensorBoard).</summary>
    public IReadOnlyDictionary<string, double> Named() => new Dictionary<string, double>
    {
        ["count"] = Count,
        ["exact_accuracy"] = ExactAccuracy,
        ["accuracy"] = TokenAccuracy,
        ["steps"] = MeanSteps,
        ["q_halt_accuracy"] = QHaltAccuracy,
        ["lm_loss"] = LmLoss,
        ["q_halt_loss"] = QHaltLoss,
    };

    /// <summary>Wilson score interval for a proportion at 95 % (z = 1.96); (0, 1) when there are no trials.</summary>
    public static (double Low, double High) WilsonInterval(double proportion, long trials, double z = 1.959963984540054)
    {
        if (trials <= 0) return (0, 1);
        double z2n = z * z / trials;
        double centre = (proportion + z2n / 2) / (1 + z2n);
        double half = z * Math.Sqrt(proportion * (1 - proportion) / trials + z2n / (4 * trials)) / (1 + z2n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
