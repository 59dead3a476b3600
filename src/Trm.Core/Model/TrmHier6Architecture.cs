namespace Trm.Model;

/// <summary>
/// The six-latent ablation of TRM: z_H and z_L1..z_L6, TRM's fields, defaults and applications of its one network; its L
/// cycles each update one latent, so there are at most six.
/// </summary>
public sealed class TrmHier6Architecture : ArchitectureDefinition
{
    public override Architecture Architecture => Architecture.TrmHier6;
    public override IReadOnlyList<string> Fields => TrmArchitecture.FamilyFields;
    public override TrmConfig Defaults => new() { Architecture = Architecture.TrmHier6 };
    public override IReadOnlyList<string> Latents => ["z_H", .. Enumerable.Range(1, Hier6Recursion.ReasoningLatents).Select(i => $"z_L{i}")];
    public override IReadOnlyList<LevelApplications> Levels(TrmConfig config) => TrmArchitecture.FamilyLevels(config);
    public override bool LearnsQContinue(TrmConfig config) => !config.NoActContinue;

    public override IEnumerable<string> Problems(TrmConfig config)
    {
        if (config.LCycles > Hier6Recursion.ReasoningLatents)
            yield return $"L_cycles must be at most 6 for trm_hier6, whose L cycles each update one of its six latents (is {config.LCycles})";
    }

    public override Recursion BuildRecursion(TrmConfig config) => new Hier6Recursion(config, Latents);
}

/// <summary>
/// The six-latent ablation (<c>trm_hier6.py</c>): z_H and z_L1..z_L6 with one network <c>L_level</c>. Per H cycle, L cycle
/// l sets z_L(l+1) &lt;- net(z_L1 + ... + z_L6, z_H + x); then z_H &lt;- net(z_H, z_L1 + ... + z_L6). The last H cycle records
/// gradients. With L_cycles below 6 the later latents keep their initial values.
/// </summary>
public sealed class Hier6Recursion(TrmConfig config, IReadOnlyList<string> latents) : Recursion(latents)
{
    internal const int ReasoningLatents = 6;
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("L_level", lLevel)];

    public override T[] Run<T>(T[] z, T input, ILatentOps<T> ops)
    {
        using (ops.WithoutGradient())
            for (int h = 0; h < config.HCycles - 1; h++) Cycle(z, input, ops);
        Cycle(z, input, ops);
        return z;
    }

    // z = [z_H, z_L1..z_L6], updated in place of the array
    void Cycle<T>(T[] z, T input, ILatentOps<T> ops) where T : class
    {
        for (int l = 0; l < config.LCycles; l++) z[1 + l] = ops.Apply(lLevel, SumOfLatents(z, ops), ops.Add(z[0], input));
        z[0] = ops.Apply(lLevel, z[0], SumOfLatents(z, ops));
    }

    // z_L1 + ... + z_L6, added left to right as the reference does
    static T SumOfLatents<T>(T[] z, ILatentOps<T> ops) where T : class
    {
        var sum = z[1];
        for (int i = 2; i <= ReasoningLatents; i++) sum = ops.Add(sum, z[i]);
        return sum;
    }
}
