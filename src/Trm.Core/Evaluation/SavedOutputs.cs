using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Evaluation;

/// <summary>
/// <c>eval_save_outputs</c>: collects the requested per-example outputs of an evaluation and saves them
/// as one PyTorch file of tensors, like the reference's <c>step_N_all_preds.0</c>: <c>inputs</c>,
/// <c>labels</c>, <c>preds</c> (examples, seq_len) int32, <c>puzzle_identifiers</c> (examples) int32,
/// <c>q_halt_logits</c> (examples) float32.
/// </summary>
public sealed class SavedOutputs(IReadOnlyCollection<string> keys)
{
    readonly List<BatchPredictions> batches = [];

    public void Add(BatchPredictions batch) => batches.Add(batch);

    public void Write(string path)
    {
        Tensor Rows(Func<BatchPredictions, int[][]> pick)
        {
            var rows = batches.SelectMany(pick).ToArray();
            int width = rows.Length == 0 ? 0 : rows[0].Length;
            return tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, width]);
        }
        var all = new Dictionary<string, Func<Tensor>>
        {
            ["inputs"] = () => Rows(b => b.Inputs),
            ["labels"] = () => Rows(b => b.Labels),
            ["preds"] = () => Rows(b => b.Predictions),
            ["puzzle_identifiers"] = () => tensor(batches.SelectMany(b => b.PuzzleIdentifiers).ToArray()),
            ["q_halt_logits"] = () => tensor(batches.SelectMany(b => b.QHaltLogits).ToArray()),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tensors = keys.ToDictionary(k => k, k => all[k]());
        try
        {
            TorchCheckpointWriter.Write(path, tensors);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
