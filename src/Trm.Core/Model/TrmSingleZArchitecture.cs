namespace Trm.Model;

/// <summary>The "single z" ablation of TRM: one latent z_L, TRM's fields, defaults and applications of its one network.</summary>
public sealed class TrmSingleZArchitecture : ArchitectureDefinition
{
    public override Architecture Architecture => Architecture.TrmSingleZ;
    public override IReadOnlyList<string> Fields => TrmArchitecture.FamilyFields;
    public override TrmConfig Defaults => new() { Architecture = Architecture.TrmSingleZ };
    public override IReadOnlyList<string> Latents => ["z_L"];
    public override IReadOnlyList<LevelApplications> Levels(TrmConfig config) => TrmArchitecture.FamilyLevels(config);
    public override bool LearnsQContinue(TrmConfig config) => !config.NoActContinue;
    public override IEnumerable<string> Problems(TrmConfig config) => [];
    public override Recursion BuildRecursion(TrmConfig config) => new SingleZRecursion(config, Latents);
}

/// <summary>
/// The "single z" ablation (<c>trm_singlez.py</c>): one latent z_L, which the heads read as the answer. Per H cycle:
/// z_L &lt;- net(z_L + x) L_cycles times, then z_L &lt;- net(z_L) once; the last H cycle records gradients.
/// </summary>
public sealed class SingleZRecursion(TrmConfig config, IReadOnlyList<string> latents) : Recursion(latents)
{
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("L_level", lLevel)];

    public override T[] Run<T>(T[] z, T input, ILatentOps<T> ops)
    {
        var zL = z[0];
        using (ops.WithoutGradient())
            for (int h = 0; h < config.HCycles - 1; h++) zL = Cycle(zL, input, ops);
        return [Cycle(zL, input, ops)];
    }

    T Cycle<T>(T zL, T input, ILatentOps<T> ops) where T : class
    {
        for (int l = 0; l < config.LCycles; l++) zL = ops.Apply(lLevel, zL, input);
        return ops.Apply(lLevel, zL, null);
    }
}
