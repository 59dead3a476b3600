using System.Text.Json.Serialization;

namespace Trm.Puzzles;

/// <summary>
/// One distinct answer among a puzzle's runs, as a solve record keeps it: how many runs gave it, their mean halting
/// probability, whether it is right by the kind's check, and whether it was the one chosen. Together they show how the
/// runs spread and whether the selection picked a right answer that exploration found.
/// </summary>
public sealed record RunAnswer(
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("mean_halt_probability")] double MeanHaltProbability,
    [property: JsonPropertyName("right")] bool? Right,
    [property: JsonPropertyName("chosen")] bool Chosen)
{
    /// <summary>The spread of <paramref name="solution"/>'s runs (most frequent first); null for a single run.</summary>
    public static IReadOnlyList<RunAnswer>? Of(IPuzzle puzzle, Solution solution) => solution.Candidates.Count == 0 ? null
        : [.. solution.Candidates.Select(c => new RunAnswer(c.Trajectories, c.MeanHaltProbability,
            puzzle.Conclude([solution with { Answer = c.Answer }]).Solved, c.Answer.SequenceEqual(solution.Answer)))];
}
