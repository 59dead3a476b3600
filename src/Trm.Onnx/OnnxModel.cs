using Trm.Puzzles;
using Trm.Solving;

namespace Trm.Onnx;

/// <summary>
/// A trained TRM as an ONNX file (<c>trm export onnx</c>), solved on ONNX Runtime with the same slot recycler, halting policies and
/// test-time compute as the TorchSharp model: needs the file and ONNX Runtime, nothing of libtorch. Latent noise is refused
/// (<see cref="OnnxStepEngine"/>). One instance may be shared between threads: its solves run one at a time.
/// </summary>
/// <example><code>
/// using var model = OnnxModel.Load("sudoku4.onnx");
/// var outcome = PuzzleSolving.Solve(model, [SudokuKind.Question("1.3..2.1.4..3.2.", "puzzle")])[0];
/// Console.WriteLine($"{outcome.Answer}: {(outcome.Solved == true ? "valid" : outcome.Problem)}");
/// </code></example>
public sealed class OnnxModel : IPuzzleModel, IDisposable
{
    readonly Lock solving = new();

    /// <summary>The file as opened and checked: its metadata and session.</summary>
    public ExportedStep Step { get; }

    OnnxModel(ExportedStep step) => Step = step;

    /// <summary>Opens <paramref name="path"/> (a <see cref="TrmException"/> naming it when it is not a TRM step of this graph contract).
    /// <paramref name="threads"/>: ONNX Runtime's threads within an operator (0: one per physical core).</summary>
    public static OnnxModel Load(string path, int threads = 0) => new(ExportedStep.Open(path, threads));

    /// <inheritdoc/>
    public int HaltMaxSteps => Step.HaltMaxSteps;

    EngineSolving.ModelSizes Sizes => new(Step.SeqLen, Step.VocabSize, Step.NumPuzzleIdentifiers, HaltMaxSteps, Step.File);

    /// <summary>Refuses puzzles of another length or vocabulary than the graph's, before anything runs.</summary>
    public void RequireFits(PuzzleShape shape) => EngineSolving.RequireFits(shape, Sizes);

    /// <summary>Solves puzzles (token ids, all of one length) that use puzzle-embedding row 0, as Sudoku and maze models do.</summary>
    public IReadOnlyList<Solution> Solve(IReadOnlyList<int[]> puzzles, SolveOptions? options = null) =>
        Solve(puzzles.Select(p => new PuzzleRequest(p)).ToList(), options);

    /// <summary>Solves requests in batches of <see cref="SolveOptions.BatchSize"/> slots, as <c>Trm.Inference.TrmModel.Solve</c> does:
    /// adaptive halting or fixed steps, test-time compute without noise; answers in the order asked.</summary>
    public IReadOnlyList<Solution> Solve(IReadOnlyList<PuzzleRequest> requests, SolveOptions? options = null)
    {
        options = (options ?? new SolveOptions()).Checked();
        if (requests.Count == 0) return [];
        EngineSolving.RequireFits(requests, Sizes);
        lock (solving)
        {
            using var engine = new OnnxStepEngine(Step);
            return EngineSolving.Solve(engine, requests, options, Sizes);
        }
    }

    /// <summary>Closes the file's session, after a solve that runs.</summary>
    public void Dispose()
    {
        lock (solving) Step.Dispose();
    }
}
