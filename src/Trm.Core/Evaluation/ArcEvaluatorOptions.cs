using System.Text.Json;
using System.Text.Json.Serialization;
using Trm.Configuration;

namespace Trm.Evaluation;

/// <summary>
/// The ARC evaluator's options, named as the reference's evaluator arguments: <see cref="SubmissionK"/> attempts per
/// test input in <c>submission.json</c>, the <see cref="PassKs"/> reported as <c>ARC/pass@K</c>, and whether votes
/// accumulate over every evaluation of a run (<see cref="AggregatedVoting"/>) or start afresh at each.
/// </summary>
public sealed record ArcEvaluatorOptions
{
    static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    [JsonPropertyName("submission_K")] public int SubmissionK { get; init; } = 2;
    [JsonPropertyName("pass_Ks")] public IReadOnlyList<int> PassKs { get; init; } = [1, 2, 5, 10, 100, 1000];
    [JsonPropertyName("aggregated_voting")] public bool AggregatedVoting { get; init; } = true;

    /// <summary>The options of an <c>evaluators</c> entry of a training config; unknown or mistyped options are errors.</summary>
    public static ArcEvaluatorOptions From(EvaluatorConfig config)
    {
        try
        {
            var options = JsonSerializer.SerializeToElement(config.Options).Deserialize<ArcEvaluatorOptions>(Strict) ?? new();
            return options.Validate($"evaluator {config.Name}");
        }
        catch (JsonException e)
        {
            throw new TrmException($"evaluator {config.Name}: {e.Message} Its options are submission_K (int), pass_Ks (list of ints) and aggregated_voting (bool).", e);
        }
    }

    /// <summary>Checks that every K is positive; <paramref name="source"/> starts the error message.</summary>
    public ArcEvaluatorOptions Validate(string source)
    {
        if (SubmissionK < 1) throw new TrmException($"{source}: submission_K must be at least 1 (is {SubmissionK}).");
        if (PassKs.Count == 0 || PassKs.Any(k => k < 1))
            throw new TrmException($"{source}: pass_Ks must be a non-empty list of positive ints (is [{string.Join(", ", PassKs)}]).");
        return this;
    }
}
