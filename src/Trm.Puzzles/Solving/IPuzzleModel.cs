using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// What <see cref="PuzzleSolving"/> needs of a trained model: whether puzzles of a shape fit it, and its solutions to
/// requests. <c>Trm.Inference.TrmModel</c> is one.
/// </summary>
public interface IPuzzleModel
{
    /// <summary>Refuses, before anything runs, puzzles of a shape the model was not trained on (another length or vocabulary).</summary>
    void RequireFits(PuzzleShape shape);

    /// <summary>Solves requests (all of one length) with <paramref name="options"/>; solutions in the order asked.</summary>
    IReadOnlyList<Solution> Solve(IReadOnlyList<PuzzleRequest> requests, SolveOptions? options = null);
}
