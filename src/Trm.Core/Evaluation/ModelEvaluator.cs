using Trm.Data;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Evaluation;

/// <summary>What the model answered for one test batch, on the CPU: the rows that are real examples only (labels -100 where ignored).</summary>
public sealed record BatchPredictions(string Set, int[] PuzzleIdentifiers, int[][] Inputs, int[][] Labels, int[][] Predictions, float[] QHaltLogits);

/// <summary>
/// Runs the test split as the reference evaluates: each batch from a fresh carry, stepping until every
/// slot has halted (in eval mode that is after halt_max_steps), then metrics of the last step summed
/// per set and divided by the number of labelled examples.
/// </summary>
public static class ModelEvaluator
{
    public static IReadOnlyList<SetMetrics> Run(ActLossHead model, PuzzleBatchLoader loader, Device device,
        Action<BatchPredictions>? onBatch = null, IProgress<BuildProgress>? progress = null)
    {
        bool wasTraining = model.training;
        model.eval();
        var sums = new Dictionary<string, ActMetrics>();
        var order = new List<string>();
        long total = loader.TestBatchCount, done = 0;
        try
        {
            using var inference = inference_mode();
            foreach (var loaded in loader.Test(device))
            {
                using (loaded)
                using (var scope = NewDisposeScope())
                {
                    var carry = model.InitialCarry(loaded.Batch);
                    StepResult result;
                    do
                    {
                        result = model.Forward(carry, loaded.Batch);
                        carry = result.Carry;
                    } while (!result.AllHalted);

                    if (!sums.TryGetValue(loaded.SetName, out var sum)) order.Add(loaded.SetName);
                    sums[loaded.SetName] = (sum ?? ActMetrics.Zero).Add(ActMetrics.Of(result.Metrics));
                    onBatch?.Invoke(Predictions(loaded, result));
                }
                progress?.Report(new BuildProgress("evaluating", ++done, total));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return order.Select(set => SetMetrics.From(set, sums[set])).ToList();
    }

    static BatchPredictions Predictions(LoadedBatch loaded, StepResult result)
    {
        int rows = loaded.RealRows;
        int[][] Rows(Tensor t) => t.to(ScalarType.Int32).cpu().data<int>().ToArray().Chunk((int)t.shape[1]).Take(rows).ToArray();
        return new BatchPredictions(loaded.SetName,
            loaded.Batch.PuzzleIdentifiers.cpu().data<int>().ToArray()[..rows],
            Rows(loaded.Batch.Inputs),
            Rows(loaded.Batch.Labels),
            Rows(result.Predictions),
            result.Outputs.QHaltLogits.to(ScalarType.Float32).cpu().data<float>().ToArray()[..rows]);
    }
}
