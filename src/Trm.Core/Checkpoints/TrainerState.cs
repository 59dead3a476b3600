using System.Text.Json.Serialization;

namespace Trm.Checkpoints;

/// <summary>
/// Where a run stands, saved with every checkpoint (<c>trainer_state.json</c>): the optimizer step,
/// the training iteration and how many of its batches were consumed, and the exploration generator's
/// state, so that a resumed run draws exactly the batches and random numbers it would have drawn.
/// </summary>
public sealed record TrainerState
{
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("total_steps")] public long TotalSteps { get; init; }
    [JsonPropertyName("iteration")] public int Iteration { get; init; }
    [JsonPropertyName("batches_in_iteration")] public int BatchesInIteration { get; init; }
    /// <summary>True when the checkpoint was taken after the iteration's evaluation (resume starts at the next iteration).</summary>
    [JsonPropertyName("iteration_complete")] public bool IterationComplete { get; init; }
    [JsonPropertyName("exploration_generator_state")] public string ExplorationGeneratorState { get; init; } = "";
    [JsonPropertyName("has_carry")] public bool HasCarry { get; init; }

    /// <summary>The training data's layout, so that evaluation can refuse data the model was not built for.</summary>
    [JsonPropertyName("seq_len")] public int SeqLen { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("num_puzzle_identifiers")] public int NumPuzzleIdentifiers { get; init; }

    /// <summary>
    /// What keeps this saved state from continuing the run that <paramref name="fresh"/> starts (its data's layout) with
    /// <paramref name="totalIterations"/> iterations: counts that are negative or past their end, or another dataset's layout.
    /// </summary>
    public IEnumerable<string> Problems(TrainerState fresh, int totalIterations)
    {
        if (TotalSteps < 0) yield return $"total_steps is {TotalSteps}, cannot be negative";
        if (Step < 0 || Step > Math.Max(TotalSteps, 0)) yield return $"step is {Step}, must be in [0, total_steps {TotalSteps}]";
        if (Iteration < 0 || Iteration > totalIterations) yield return $"iteration is {Iteration}, must be in [0, {totalIterations}] (the run's iterations)";
        if (BatchesInIteration < 0) yield return $"batches_in_iteration is {BatchesInIteration}, cannot be negative";
        if (ExplorationGeneratorState is null) yield return "exploration_generator_state is missing";
        foreach (var (field, saved, data) in new[] { ("seq_len", SeqLen, fresh.SeqLen), ("vocab_size", VocabSize, fresh.VocabSize), ("num_puzzle_identifiers", NumPuzzleIdentifiers, fresh.NumPuzzleIdentifiers) })
            if (saved != 0 && saved != data) yield return $"{field} is {saved}, the training data's is {data} (resume with the run's own data_paths)";
    }
}
