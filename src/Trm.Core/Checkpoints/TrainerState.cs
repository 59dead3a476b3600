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
}
