using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Checkpoints;

/// <summary>
/// <c>load_checkpoint</c>: starts a run from trained weights, ours (a checkpoint directory or its
/// <c>model.pt</c>) or the paper's (<c>step_N</c>, compiled or not). As in the reference, a puzzle
/// embedding table of another size (another dataset's puzzles) is replaced by its mean row.
/// The tensors read are freed once copied.
/// </summary>
public static class InitialWeights
{
    const string PuzzleEmbeddingKey = "model.inner.puzzle_emb.weights";

    public static void Load(ActLossHead model, string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, CheckpointFiles.Weights) : path;
        if (!File.Exists(file)) throw new TrmException($"load_checkpoint: {file} not found. Pass a checkpoint directory written by the trainer or a PyTorch state-dict file.");
        using var scope = NewDisposeScope();   // what is read (and the mean row) is freed once copied into the model
        var stateDict = TorchCheckpointReader.ReadStateDict(file);
        var expected = model.state_dict();
        if (stateDict.TryGetValue(PuzzleEmbeddingKey, out var table) && expected.TryGetValue(PuzzleEmbeddingKey, out var target)
            && !table.shape.SequenceEqual(target.shape) && table.shape.Length == 2 && table.shape[1] == target.shape[1])
            stateDict[PuzzleEmbeddingKey] = table.mean([0], keepdim: true).expand(target.shape).contiguous();
        StateDictLoader.Load(model, stateDict, file);
    }
}
