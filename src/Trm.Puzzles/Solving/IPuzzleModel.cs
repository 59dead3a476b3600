using Trm.Puzzles;

namespace Trm.Solving;

/// <summary>
/// What <see cref="PuzzleSolving"/> needs of a trained model: whether puzzles of a shape fit it, and its solutions to
/// requests. <c>Trm.Inference.TrmModel</c> (TorchSharp) and <c>Trm.Onnx.OnnxModel</c> (ONNX Runtime) are two; each holds native memory
/// until disposed.
/// </summary>
public interface IPuzzleModel : IDisposable
{
    /// <summary>The trained number of supervision steps: the step cap when <see cref="SolveOptions.MaxSteps"/> is unset.</summary>
    int HaltMaxSteps { get; }

    /// <summary>Refuses, before anything runs, puzzles of a shape the model was not trained on (another length or vocabulary).</summary>
    void RequireFits(PuzzleShape shape);

    /// <summary>Solves requests (all of one length) with <paramref name="options"/>; solutions in the order asked.</summary>
    IReadOnlyList<Solution> Solve(IReadOnlyList<PuzzleRequest> requests, SolveOptions? options = null);
}
