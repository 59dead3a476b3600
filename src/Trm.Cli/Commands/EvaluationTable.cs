using Trm.Evaluation;

namespace Trm.Cli.Commands;

/// <summary>Prints evaluation metrics as a table: one row per test set, then the evaluators' metrics.</summary>
public static class EvaluationTable
{
    public static void Write(TextWriter output, IReadOnlyList<SetMetrics> sets, IReadOnlyDictionary<string, double> evaluatorMetrics)
    {
        // With test-time compute, two more columns: the oracle (any run exactly right) and the Q head's ROC area over the runs.
        bool sampled = sets.Any(s => s.OracleExactAccuracy is not null);
        output.WriteLine($"  {"set",-8} {"examples",8}  {"exact accuracy (95% CI)",-28} {"token acc",9} {"steps",6} {"q_halt acc",10}" + (sampled ? $" {"oracle",8} {"Q AUROC",8}" : ""));
        foreach (var s in sets)
        {
            var (low, high) = s.ExactAccuracyInterval;
            output.WriteLine($"  {s.Set,-8} {s.Count,8}  {$"{s.ExactAccuracy:P2} ({low:P1} - {high:P1})",-28} {s.TokenAccuracy,9:P2} {s.MeanSteps,6:F2} {s.QHaltAccuracy,10:P2}" +
                (sampled ? $" {s.OracleExactAccuracy,8:P2} {s.QAlignment,8:F3}" : ""));
        }
        foreach (var (name, value) in evaluatorMetrics) output.WriteLine($"  {name}: {value:P2}");
    }
}
