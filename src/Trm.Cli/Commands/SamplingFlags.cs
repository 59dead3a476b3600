using System.CommandLine;
using Trm.Model;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary>The test-time compute flags of <c>trm solve</c> and <c>trm eval</c> (<see cref="Sampling"/>); all at their defaults, the plain solve.</summary>
public sealed class SamplingFlags
{
    public readonly Option<int> Trajectories = new Option<int>("--trajectories") { Description = "Runs of each puzzle (K), chosen among by --select (PTRM used 100)", DefaultValueFactory = _ => 1 }.Within("Trajectories");
    public readonly Option<double> Noise = new Option<double>("--noise") { Description = "Scale sigma of the Gaussian noise added to the latents before every supervision step (PTRM: 0.3 for Sudoku, 1.0 for mazes)", DefaultValueFactory = _ => 0 }.Within("Noise");
    public readonly Option<string> NoiseOn = new Option<string>("--noise-on") { Description = "Which latents get the noise: z_L, z_H or both", DefaultValueFactory = _ => "z_L" };
    public readonly Option<string> Select = new Option<string>("--select")
    {
        Description = "How one answer is chosen: q (highest q_halt at the last step), vote (most frequent), qvote (votes weighted by sigmoid(q_halt)), converged (logits changed least over the last steps)",
        DefaultValueFactory = _ => "q",
    };
    public readonly Option<int> Augment = new Option<int>("--augment") { Description = "Also run N copies of each puzzle in other frames (Sudoku relabelled and shuffled, mazes turned), answers mapped back and chosen among", DefaultValueFactory = _ => 0 }.Within("Augment");
    public readonly Option<ulong> Seed = new Option<ulong>("--seed") { Description = "Seed of the noise and the copies (the same seed, the same answers)", DefaultValueFactory = _ => 0 }.Within("Seed");

    /// <summary>The library's names of these settings, for <see cref="CommandRunner.Run"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Flags =>
    [
        new(nameof(Sampling.Trajectories), Trajectories.Name), new(nameof(Sampling.Noise), Noise.Name), new(nameof(Sampling.NoiseOn), NoiseOn.Name),
        new(nameof(Sampling.Select), Select.Name), new(nameof(Sampling.Augment), Augment.Name), new(nameof(Sampling.Seed), Seed.Name),
    ];

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Trajectories, Noise, NoiseOn, Select, Augment, Seed }) command.Options.Add(option);
    }

    /// <summary>The settings asked for, checked; null when every flag is at its default (the plain solve).</summary>
    public Sampling? Read(ParseResult parse)
    {
        var noiseOn = parse.GetValue(NoiseOn)!;
        var select = parse.GetValue(Select)!;
        var sampling = new Sampling(parse.GetValue(Trajectories), parse.GetValue(Noise),
            Enum.GetValues<NoiseTarget>().FirstOrDefault(t => LatentNoise.Name(t) == noiseOn, (NoiseTarget)(-1)),
            Enum.GetValues<TrajectorySelection>().FirstOrDefault(s => Sampling.Name(s) == select, (TrajectorySelection)(-1)),
            parse.GetValue(Augment), parse.GetValue(Seed));
        if (!Enum.IsDefined(sampling.NoiseOn)) throw new TrmSettingsException(nameof(Sampling.NoiseOn), $"must be z_L, z_H or both (is '{noiseOn}')");
        if (!Enum.IsDefined(sampling.Select)) throw new TrmSettingsException(nameof(Sampling.Select), $"must be q, vote, qvote or converged (is '{select}')");
        return sampling.Checked().IsPlain ? null : sampling;
    }
}
