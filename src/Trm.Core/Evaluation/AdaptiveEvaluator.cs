using Trm.Data;
using Trm.Model;
using static TorchSharp.torch;
using Trm.Puzzles;
using Trm.Solving;

namespace Trm.Evaluation;

/// <summary>
/// Evaluates the test split the way <c>trm solve</c> answers: examples stream through the batch slots
/// (<see cref="SlotRecycler"/>), each stops where the <see cref="HaltingPolicy"/> halts it, and its answer is that step's.
/// With <see cref="HaltingPolicy.Fixed"/> at halt_max_steps it scores exactly as <see cref="ModelEvaluator"/>. Losses are not computed here (NaN).
/// With test-time compute (<see cref="Sampling"/>) each example's runs go through <see cref="TrajectorySampler"/>, the chosen answer is
/// scored, and the oracle (any run exactly right) and the Q head's alignment (ROC area of sigmoid(q_halt), right runs against wrong) are added.
/// </summary>
public static class AdaptiveEvaluator
{
    sealed class SetSums(string name)
    {
        public readonly string Name = name;
        public ActMetrics Sums = ActMetrics.Zero;
        public readonly List<(Pending Example, FinishedPuzzle Result)> Buffer = [];
        public long AnyRight;
        public readonly List<(double Confidence, bool Right)> Runs = [];
    }

    sealed record Pending(SetSums Set, int[] Inputs, int[] Labels, int PuzzleIdentifier);

    public static IReadOnlyList<SetMetrics> Run(ActLossHead model, PuzzleBatchLoader loader, int slots, HaltingPolicy policy, Device device,
        Action<BatchPredictions>? onBatch = null, IProgress<BuildProgress>? progress = null, Sampling? sampling = null)
    {
        sampling ??= Sampling.None;
        var pending = new Dictionary<long, Pending>();
        var sets = new List<SetSums>();
        long batchesRead = 0, total = loader.TestBatchCount;

        IEnumerable<PuzzleRequest> Requests()
        {
            long index = 0;
            foreach (var loaded in loader.Test())
            {
                using (loaded)
                {
                    if (sets.Count == 0 || sets[^1].Name != loaded.SetName) sets.Add(new SetSums(loaded.SetName));
                    int seqLen = (int)loaded.Batch.Inputs.shape[1];
                    var inputs = loaded.Batch.Inputs.to(ScalarType.Int32).data<int>().ToArray();
                    var labels = loaded.Batch.Labels.to(ScalarType.Int32).data<int>().ToArray();
                    var identifiers = loaded.Batch.PuzzleIdentifiers.to(ScalarType.Int32).data<int>().ToArray();
                    for (int row = 0; row < loaded.RealRows; row++)
                    {
                        var example = new Pending(sets[^1], inputs[(row * seqLen)..((row + 1) * seqLen)], labels[(row * seqLen)..((row + 1) * seqLen)], identifiers[row]);
                        pending[index++] = example;
                        yield return new PuzzleRequest(example.Inputs, example.PuzzleIdentifier);
                    }
                }
                progress?.Report(new BuildProgress("evaluating", ++batchesRead, total));
            }
        }

        void Flush(SetSums set)
        {
            if (set.Buffer.Count == 0) return;
            set.Sums = set.Sums.Add(Score(set.Buffer));
            onBatch?.Invoke(new BatchPredictions(set.Name,
                set.Buffer.Select(b => b.Example.PuzzleIdentifier).ToArray(),
                set.Buffer.Select(b => b.Example.Inputs).ToArray(),
                set.Buffer.Select(b => b.Example.Labels).ToArray(),
                set.Buffer.Select(b => b.Result.Answer).ToArray(),
                set.Buffer.Select(b => b.Result.QHaltLogit).ToArray()));
            set.Buffer.Clear();
        }

        void Finished(FinishedPuzzle finished)
        {
            pending.Remove(finished.Index, out var example);
            var set = example!.Set;
            set.Buffer.Add((example, finished));
            if (set.Buffer.Count >= slots) Flush(set);
        }

        using var engine = new ActStepEngine(model.Model, device);
        if (sampling.IsPlain) SlotRecycler.Run(engine, Requests(), slots, policy, keepSteps: false, Finished);
        else
            TrajectorySampler.Run(engine, Requests(), slots, policy, sampling, keepSteps: false, sampled =>
            {
                var example = pending[sampled.Index];
                bool anyRight = false;
                foreach (var run in sampled.Runs)
                {
                    bool right = Exact(run.Answer, example.Labels);
                    anyRight |= right;
                    example.Set.Runs.Add((run.QHaltLogit, right));
                }
                if (anyRight) example.Set.AnyRight++;
                Finished(sampled.Chosen);
            });
        foreach (var set in sets) Flush(set);

        return sets.Select(s => SetMetrics.From(s.Name, s.Sums) with
        {
            LmLoss = double.NaN, QHaltLoss = double.NaN,
            OracleExactAccuracy = sampling.IsPlain ? null : s.Sums.Count == 0 ? 0 : s.AnyRight / s.Sums.Count,
            QAlignment = sampling.IsPlain ? null : RocArea.Of(s.Runs),
        }).ToList();
    }

    // The whole answer right where the labels are not ignored (the exactness AnswerCheck counts).
    static bool Exact(int[] answer, int[] labels)
    {
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] != ActLossHead.IgnoreLabelId && answer[i] != labels[i]) return false;
        return true;
    }

    /// <summary>The loss head's metrics (<see cref="AnswerCheck"/>) of finished examples, each halted at its own last step; no losses.</summary>
    static ActMetrics Score(List<(Pending Example, FinishedPuzzle Result)> finished)
    {
        using var scope = NewDisposeScope();
        int n = finished.Count, seqLen = finished[0].Example.Labels.Length;
        Tensor Rows(Func<(Pending Example, FinishedPuzzle Result), int[]> pick) => tensor(finished.SelectMany(pick).ToArray(), [n, seqLen]);
        var check = AnswerCheck.Of(Rows(f => f.Result.Answer), Rows(f => f.Example.Labels));
        var (count, accuracy, exact, qHalt, steps) = check.Sums(ones(n, ScalarType.Bool),
            tensor(finished.Select(f => f.Result.QHaltLogit).ToArray()), tensor(finished.Select(f => f.Result.StepsUsed).ToArray()));
        var noLoss = zeros(1);
        return ActMetrics.Of(new StepMetrics(count, accuracy, exact, qHalt, steps, noLoss, noLoss, null));
    }
}
