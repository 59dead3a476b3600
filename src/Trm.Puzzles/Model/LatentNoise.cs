namespace Trm.Model;

/// <summary>Which latents test-time noise perturbs: the reasoning state z_L (every z_L of an architecture that has several), the answer state z_H, or both.</summary>
public enum NoiseTarget
{
    ZL,
    ZH,
    Both,
}

/// <summary>
/// Probabilistic TRM's exploration (arXiv 2605.19943): Gaussian noise N(0, <see cref="Sigma"/>^2) added to the
/// <see cref="Target"/> latents of each slot before every supervision step, the first included (after a fresh slot's
/// latents are reset to their initial states). Which latents an architecture has decides what it can take: the
/// transformer baseline has no z_L, the single-z ablation no z_H.
/// </summary>
public sealed record LatentNoise(double Sigma, NoiseTarget Target = NoiseTarget.ZL)
{
    /// <summary>"z_L", "z_H" or "both", as flags and records write a target.</summary>
    public static string Name(NoiseTarget target) => target switch { NoiseTarget.ZL => "z_L", NoiseTarget.ZH => "z_H", _ => "both" };

    /// <summary>Positions in <paramref name="latents"/> (reference names, answer state first) that <see cref="Target"/> perturbs; a
    /// <see cref="TrmSettingsException"/> naming <c>NoiseOn</c> where the model (<paramref name="model"/>: its architecture's short name) has none of them.</summary>
    public IReadOnlyList<int> Targets(IReadOnlyList<string> latents, string model)
    {
        bool Reasoning(string name) => name.StartsWith("z_L", StringComparison.Ordinal);
        var targets = Enumerable.Range(0, latents.Count).Where(i => Target switch
        {
            NoiseTarget.ZL => Reasoning(latents[i]),
            NoiseTarget.ZH => latents[i] == "z_H",
            _ => true,
        }).ToList();
        if (targets.Count == 0)
            throw new TrmSettingsException("NoiseOn", $"is {Name(Target)}, but {model} has no such latent (its latents: {string.Join(", ", latents)}); put the noise on one it has");
        return targets;
    }
}
