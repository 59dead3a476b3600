using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// An optimizer over the network's parameters: the schedule sets its learning rate each step, and a checkpoint saves
/// and restores its state (<see cref="ExportState"/>, <see cref="ImportState"/>) so that a resumed run continues exactly.
/// Disposing frees its state.
/// </summary>
public interface IWeightOptimizer : IDisposable
{
    double LearningRate { get; set; }
    void Step();
    void ZeroGrad();

    /// <summary>
    /// Everything a resume needs, by name (the keys of <c>optimizer.pt</c>). The tensors of its state are its own (the caller
    /// must not dispose them, and they change with the next <see cref="Step"/>); the few it makes for the export (step counts)
    /// go to the caller's dispose scope, so call it inside one.
    /// </summary>
    Dictionary<string, Tensor> ExportState();

    /// <summary>Copies what <see cref="ExportState"/> saved into this optimizer (the caller keeps and disposes <paramref name="state"/>); <paramref name="source"/> names the file in errors.</summary>
    void ImportState(IReadOnlyDictionary<string, Tensor> state, string source);
}
