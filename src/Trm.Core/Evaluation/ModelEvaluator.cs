using System.Text.Json;
using Trm.Data;
using Trm.Distributed;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Evaluation;

/// <summary>What the model answered for one test batch, on the CPU: the rows that are real examples only (labels -100 where ignored).</summary>
public sealed record BatchPredictions(string Set, int[] PuzzleIdentifiers, int[][] Inputs, int[][] Labels, int[][] Predictions, float[] QHaltLogits);

/// <summary>
/// Runs the test split as the reference evaluates: each batch from a fresh carry, stepping until every
/// slot has halted (in eval mode that is after halt_max_steps), then metrics of the last step summed
/// per set and divided by the number of labelled examples. In a data-parallel job each rank runs its slice of every batch;
/// the sums are added over the ranks, and rank 0 alone sees the predictions, every rank's in rank order (as one process
/// would see the batch).
/// </summary>
public static class ModelEvaluator
{
    static readonly JsonSerializerOptions PredictionJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static IReadOnlyList<SetMetrics> Run(ActLossHead model, PuzzleBatchLoader loader, Device device,
        Action<BatchPredictions>? onBatch = null, IProgress<BuildProgress>? progress = null, ICollectives? group = null)
    {
        group ??= SingleProcess.Instance;
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
                    if (onBatch is not null) Deliver(Predictions(loaded, result), onBatch, group);
                }
                progress?.Report(new BuildProgress("evaluating", ++done, total));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return order.Select(set => SetMetrics.From(set, group.Sum(sums[set]))).ToList();
    }

    /// <summary>Hands a batch's predictions to <paramref name="onBatch"/>: at once in one process, on rank 0 every rank's in a job.</summary>
    static void Deliver(BatchPredictions mine, Action<BatchPredictions> onBatch, ICollectives group)
    {
        if (!group.IsDistributed())
        {
            onBatch(mine);
            return;
        }
        var all = group.AllGatherBytes(JsonSerializer.SerializeToUtf8Bytes(mine, PredictionJson));
        if (!group.IsRoot()) return;
        foreach (var bytes in all) onBatch(JsonSerializer.Deserialize<BatchPredictions>(bytes, PredictionJson)!);
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
