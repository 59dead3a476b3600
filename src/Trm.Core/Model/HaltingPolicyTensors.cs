using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// What <see cref="HaltingPolicy"/> does with a model and tensors (the policy itself, and its decision for one row, need neither and
/// live below in <c>Trm.Puzzles</c>): the reference's training and evaluation policies of a config, and the halting of whole batches.
/// </summary>
public static class HaltingPolicyTensors
{
    extension(HaltingPolicy)
    {
        /// <summary>
        /// The reference's training: q_halt &gt; 0 (no_ACT_continue) or q_halt &gt; q_continue (HRM, the baseline, TRM without
        /// no_ACT_continue), with exploration, when halt_max_steps allows more than one step (and, for the transformer
        /// baseline, act_enabled is set).
        /// </summary>
        public static HaltingPolicy Training(TrmConfig config) => config.HaltMaxSteps <= 1 || !config.ActEnabled ? HaltingPolicy.Fixed(config.HaltMaxSteps)
            : new(config.HaltMaxSteps, config.NoActContinue ? HaltRule.QHalt : HaltRule.QHaltOverContinue, ExplorationProb: config.HaltExplorationProb);

        /// <summary>The reference's evaluation: halt_max_steps fixed steps, or for the transformer baseline with act_inference q_halt &gt; q_continue.</summary>
        public static HaltingPolicy Evaluation(TrmConfig config) => config.ActInference && config.HaltMaxSteps > 1
            ? new(config.HaltMaxSteps, HaltRule.QHaltOverContinue)
            : HaltingPolicy.Fixed(config.HaltMaxSteps);
    }

    extension(HaltingPolicy policy)
    {
        /// <summary>Which slots <see cref="HaltingPolicy.Rule"/> halts, the step cap aside: where the Q head says done. (B) bool; none for <see cref="HaltRule.FixedSteps"/>.</summary>
        /// <param name="qHalt">(B) float32 Q logits of this step; <paramref name="qContinue"/> likewise.</param>
        public Tensor QHeadSaysDone(Tensor qHalt, Tensor qContinue) => policy.Rule switch
        {
            HaltRule.FixedSteps => zeros_like(qHalt, dtype: ScalarType.Bool),
            HaltRule.QHalt => qHalt > 0,
            HaltRule.QHaltOverContinue => qHalt > qContinue,
            _ => qHalt.to(ScalarType.Float64) > policy.ThresholdLogit,
        };

        /// <summary>Which slots halt after this step.</summary>
        /// <param name="steps">(B) int32, steps taken including this one.</param>
        /// <param name="qHalt">(B) float32 Q logits of this step; <paramref name="qContinue"/> likewise.</param>
        /// <param name="shard">This process's slice of the global batch, <c>(Index, Count)</c> of equal slices: exploration draws for
        /// the whole global batch and keeps the slice, so that data-parallel ranks explore as one process does.</param>
        /// <returns>(B) bool.</returns>
        public Tensor Halted(Tensor steps, Tensor qHalt, Tensor qContinue, Generator? generator, (int Index, int Count) shard = default)
        {
            var halted = steps >= policy.MaxSteps;
            if (policy.Rule == HaltRule.FixedSteps) return halted;
            halted = halted | policy.QHeadSaysDone(qHalt, qContinue);
            if (policy.ExplorationProb is { } probability)
            {
                long local = qHalt.shape[0], slices = Math.Max(shard.Count, 1);
                Tensor Mine(Tensor global) => slices == 1 ? global : global.narrow(0, shard.Index * local, local);
                var explore = Mine(rand([local * slices], generator: generator, device: qHalt.device)) < probability;
                var minSteps = explore * Mine(randint(2, policy.MaxSteps + 1, [local * slices], generator: generator, dtype: steps.dtype, device: steps.device));
                halted = halted & (steps >= minSteps);
            }
            return halted;
        }
    }
}
