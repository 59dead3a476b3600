namespace Trm.Puzzles.Arc;

/// <summary>One distinct answer to a test input: its grid's hash, how many predictions gave it, and their mean sigmoid(q_halt).</summary>
public sealed record ArcCandidate(string Hash, int Count, double MeanConfidence);

/// <summary>
/// The votes for one test input, counted as the reference's ARC evaluator does: per distinct predicted grid (by hash),
/// the number of predictions and the sum of their confidences, kept in the order the grids first appeared.
/// </summary>
public sealed class ArcBallot
{
    readonly OrderedDictionary<string, (int Count, double ConfidenceSum)> tallies = new(StringComparer.Ordinal);

    /// <param name="confidence">sigmoid(q_halt) of the prediction, in double precision.</param>
    public void Add(string hash, double confidence)
    {
        tallies.TryGetValue(hash, out var tally);
        tallies[hash] = (tally.Count + 1, tally.ConfidenceSum + confidence);
    }

    /// <summary>
    /// Candidates best first: most votes, then highest mean confidence; full ties stay in first-appearance order
    /// (the reference sorts [count, mean] pairs with Python's stable sort, reverse=True).
    /// </summary>
    public IReadOnlyList<ArcCandidate> Ranked() =>
        [.. tallies.Select(t => new ArcCandidate(t.Key, t.Value.Count, t.Value.ConfidenceSum / t.Value.Count))
            .OrderByDescending(c => c.Count).ThenByDescending(c => c.MeanConfidence)];
}
