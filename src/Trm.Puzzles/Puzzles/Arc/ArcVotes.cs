using Trm.Puzzles.Arc;

namespace Trm.Puzzles.Arc;

/// <summary>
/// The votes for ARC test inputs, counted as the reference's evaluator counts them: a prediction made on a copy of a
/// puzzle (the original or an augmented one) is mapped back to the original colours and orientation and counted, with
/// its confidence sigmoid(q_halt), on the ballot of its test input (the puzzle id and the hash of that input's grid).
/// Shared by <c>Trm.Evaluation.ArcEvaluator</c> (test sets) and <c>trm solve arc</c> (one task), so both vote alike. One grid
/// per distinct answer is kept.
/// </summary>
public sealed class ArcVotes
{
    readonly Dictionary<(string PuzzleId, string InputHash), ArcBallot> ballots = [];
    readonly Dictionary<string, byte[,]> answers = new(StringComparer.Ordinal);

    /// <summary>sigmoid(q_halt) in double precision, the confidence a prediction votes with.</summary>
    public static double Confidence(float qHaltLogit) => 1 / (1 + Math.Exp(-(double)qHaltLogit));

    /// <summary>
    /// Counts one prediction: <paramref name="predicted"/> is the grid cropped from the predicted canvas of the copy made
    /// with <paramref name="augmentation"/>. Returns the answer in the original puzzle's colours and orientation.
    /// </summary>
    public byte[,] Add(string puzzleId, string inputHash, ArcAugmentation augmentation, byte[,] predicted, double confidence)
    {
        var answer = augmentation.Invert(predicted);
        var answerHash = ArcPuzzleHash.OfGrid(answer);
        answers.TryAdd(answerHash, answer);
        if (!ballots.TryGetValue((puzzleId, inputHash), out var ballot)) ballots[(puzzleId, inputHash)] = ballot = new ArcBallot();
        ballot.Add(answerHash, confidence);
        return answer;
    }

    /// <summary>The distinct answers to a test input, best first (<see cref="ArcBallot.Ranked"/>); null when it got no vote.</summary>
    public IReadOnlyList<ArcCandidate>? Ranked(string puzzleId, string inputHash) =>
        ballots.TryGetValue((puzzleId, inputHash), out var ballot) ? ballot.Ranked() : null;

    /// <summary>The grid of an answer counted here, by its hash.</summary>
    public byte[,] Grid(string answerHash) => answers[answerHash];

    /// <summary>The <paramref name="k"/> best answers' grids, the best repeated when there are fewer: what <c>submission.json</c> holds.</summary>
    public IReadOnlyList<byte[,]> Attempts(IReadOnlyList<ArcCandidate> ranked, int k)
    {
        var best = ranked.Take(k).Select(c => answers[c.Hash]).ToList();
        while (best.Count < k) best.Add(best[0]);
        return best;
    }

    public void Clear()
    {
        ballots.Clear();
        answers.Clear();
    }
}
