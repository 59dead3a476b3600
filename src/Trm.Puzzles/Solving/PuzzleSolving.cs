using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// The one way puzzles are solved, for <c>trm solve</c>, the C# API and whatever serves a model: puzzles of one shape, checked
/// against the model, become requests, run together in recycled batch slots, and each puzzle's solutions become its checked
/// outcome (answer, verdict, solve record, why each request stopped).
/// </summary>
/// <example><code>
/// using var model = TrmModel.Load("checkpoints/.../step_3500");
/// var outcome = PuzzleSolving.Solve(model, [SudokuKind.Question("1.3..2.1.4..3.2.", "puzzle")])[0];
/// Console.WriteLine($"{outcome.Answer}: {(outcome.Solved == true ? "valid" : outcome.Problem)}");
/// </code></example>
public static class PuzzleSolving
{
    /// <summary>The shape every puzzle has, or a <see cref="TrmException"/> naming two that differ; needs no model, so a caller can refuse before loading one.</summary>
    public static PuzzleShape Shape(IReadOnlyList<IPuzzle> puzzles)
    {
        if (puzzles.Count == 0) throw new ArgumentException("no puzzles", nameof(puzzles));
        var shape = puzzles[0].Shape;
        if (puzzles.FirstOrDefault(p => p.Shape != shape) is { } other)
            throw new TrmException($"{other.Label} is {other.Shape.Description} but {puzzles[0].Label} is {shape.Description}; a model solves puzzles of one size, so solve them apart.");
        return shape;
    }

    /// <summary>Solves <paramref name="puzzles"/> (all of one shape) with <paramref name="model"/>; outcomes in the order given.</summary>
    public static IReadOnlyList<TOutcome> Solve<TOutcome>(IPuzzleModel model, IReadOnlyList<IPuzzle<TOutcome>> puzzles, SolveOptions? options = null)
        where TOutcome : PuzzleOutcome
    {
        if (puzzles.Count == 0) return [];
        model.RequireFits(Shape(puzzles));
        var sampling = options?.Compute ?? Sampling.None;
        var requests = puzzles.Select(p => WithCopies(p, sampling)).ToList();
        var solutions = model.Solve([.. requests.SelectMany(r => r)], options);
        var outcomes = new List<TOutcome>(puzzles.Count);
        int first = 0;
        for (int i = 0; i < puzzles.Count; i++)
        {
            outcomes.Add(puzzles[i].Conclude(solutions.Skip(first).Take(requests[i].Count).ToList()));
            first += requests[i].Count;
        }
        return outcomes;
    }

    /// <summary>
    /// Whether any of the answers a puzzle's trajectories gave is right by its kind's check (the oracle, pass@K): set beside
    /// the chosen answer's, it tells "exploration found it" from "the selection picked it". For a puzzle of one request.
    /// </summary>
    public static bool? AnyCandidateSolves(IPuzzle puzzle, Solution solution) => solution.Candidates.Count == 0
        ? puzzle.Conclude([solution]).Solved
        : solution.Candidates.Any(c => puzzle.Conclude([solution with { Answer = c.Answer }]).Solved == true);

    /// <summary>A puzzle's requests; with <see cref="Sampling.Augment"/>, a one-request puzzle of a kind with symmetries carries its copies along.</summary>
    public static IReadOnlyList<PuzzleRequest> WithCopies(IPuzzle puzzle, Sampling sampling)
    {
        var requests = puzzle.Requests();
        return sampling.Augment > 0 && puzzle is IAugmentable augmentable && requests.Count == 1
            ? [requests[0] with { Augmented = augmentable.Augmentations(sampling.Augment, sampling.Seed) }]
            : requests;
    }
}
