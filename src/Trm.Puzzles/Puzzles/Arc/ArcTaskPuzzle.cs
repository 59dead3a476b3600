namespace Trm.Puzzles.Arc;

/// <summary>
/// An ARC task as a model that knows it solves it, as the reference's evaluation does: every test input is augmented as each
/// of the task's <see cref="Copies"/> was, placed on the canvas and predicted with that copy's puzzle embedding; the
/// predictions are cropped, mapped back and voted on with <see cref="ArcVotes"/> (most votes, then highest mean
/// sigmoid(q_halt)), giving <see cref="Attempts"/> attempts per test input. Identical test inputs share one ballot, as in
/// the reference's evaluator.
/// </summary>
public sealed record ArcTaskPuzzle(ArcTask Task, IReadOnlyList<ArcCopy> Copies, int Attempts = ArcTaskPuzzle.AttemptsPerInput) : IPuzzle<ArcTaskAnswer>
{
    /// <summary>Attempts per test input, as ARC Prize scores them (the evaluator's submission_K).</summary>
    public const int AttemptsPerInput = 2;

    public string Label => Task.Id;

    public PuzzleShape Shape => new($"ARC task {Task.Id}", ArcCanvas.Length, ArcCanvas.VocabSize);

    /// <summary>Per test input (in file order), one request per copy.</summary>
    public IReadOnlyList<PuzzleRequest> Requests()
    {
        if (Copies.Count == 0) throw new TrmException($"the model knows no copy of task {Task.Id}; learn its puzzle embeddings first (test-time training).");
        var requests = new List<PuzzleRequest>(Task.Puzzle.Test.Count * Copies.Count);
        var canvas = new byte[ArcCanvas.Length];
        foreach (var pair in Task.Puzzle.Test)
            foreach (var copy in Copies)
            {
                // As the builder writes test inputs: augmented, at the top-left of the canvas.
                ArcCanvas.Encode(copy.Augmentation.Apply(pair.Input), 0, 0, canvas);
                requests.Add(new PuzzleRequest([.. canvas.Select(t => (int)t)], copy.Identifier));
            }
        return requests;
    }

    public ArcTaskAnswer Conclude(IReadOnlyList<Solution> solutions)
    {
        var tests = Task.Puzzle.Test;
        var votes = new ArcVotes();
        var inputHashes = tests.Select(p => ArcPuzzleHash.OfGrid(p.Input)).ToList();
        for (int t = 0; t < tests.Count; t++)
            for (int c = 0; c < Copies.Count; c++)
            {
                var solution = solutions[t * Copies.Count + c];
                votes.Add(Task.Id, inputHashes[t], Copies[c].Augmentation, ArcCanvas.Decode<int>(solution.Answer), solution.HaltProbability);
            }

        int original = Copies.ToList().FindIndex(c => c.IsOriginal);
        var answers = new List<ArcTestAnswer>(tests.Count);
        for (int t = 0; t < tests.Count; t++)
        {
            var ranked = votes.Ranked(Task.Id, inputHashes[t])!;
            var steps = original < 0 ? [] : solutions[t * Copies.Count + original].Steps
                .Select(s => new ArcStep(ArcCanvas.Decode<int>(s.Answer), s.HaltProbability)).ToList();
            answers.Add(new ArcTestAnswer(tests[t].Input, Task.Expected[t], votes.Attempts(ranked, Attempts),
                [.. ranked.Select(c => new ArcCandidateAnswer(votes.Grid(c.Hash), c.Count, c.MeanConfidence))], ranked.Sum(c => c.Count), steps));
        }
        return new ArcTaskAnswer(Task.Id, Copies.Count, answers);
    }
}
