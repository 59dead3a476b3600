namespace Trm.Model;

/// <summary>
/// TRM: the latents z_H and z_L and one network <c>L_level</c>, applied L_cycles + 1 times per H cycle; its fields are the
/// TRM family's, which its ablations share.
/// </summary>
public sealed class TrmArchitecture : ArchitectureDefinition
{
    /// <summary>The fields of TRM and its ablations: the shared ones, the L level's, puzzle_emb_len and no_ACT_continue.</summary>
    internal static readonly IReadOnlyList<string> FamilyFields = [.. SharedFields, "L_cycles", "L_layers", "mlp_t", "puzzle_emb_len", "no_ACT_continue"];

    public override Architecture Architecture => Architecture.Trm;
    public override IReadOnlyList<string> Fields => FamilyFields;
    public override TrmConfig Defaults => new() { Architecture = Architecture.Trm };
    public override IReadOnlyList<string> Latents => ["z_H", "z_L"];
    public override IReadOnlyList<LevelApplications> Levels(TrmConfig config) => FamilyLevels(config);
    public override bool LearnsQContinue(TrmConfig config) => !config.NoActContinue;
    public override IEnumerable<string> Problems(TrmConfig config) => [];
    public override Recursion BuildRecursion(TrmConfig config) => new TrmRecursion(config, Latents);

    /// <summary>The TRM family's one level: H_cycles x (L_cycles + 1) applications, those of the last H cycle with gradient.</summary>
    internal static IReadOnlyList<LevelApplications> FamilyLevels(TrmConfig config) =>
        [new("L_level", config.LLayers, (long)config.HCycles * (config.LCycles + 1), config.LCycles + 1L)];
}

/// <summary>
/// TRM (<c>trm.py</c>): one network <c>L_level</c> for both latents. Per H cycle: z_L &lt;- net(z_L, z_H + x) L_cycles
/// times, then z_H &lt;- net(z_H, z_L). The first H_cycles - 1 cycles run without gradient; the last one records it.
/// </summary>
public sealed class TrmRecursion(TrmConfig config, IReadOnlyList<string> latents) : Recursion(latents)
{
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("L_level", lLevel)];

    public override T[] Run<T>(T[] z, T input, ILatentOps<T> ops)
    {
        T zH = z[0], zL = z[1];
        using (ops.WithoutGradient())
            for (int h = 0; h < config.HCycles - 1; h++) (zH, zL) = Cycle(zH, zL, input, ops);
        (zH, zL) = Cycle(zH, zL, input, ops);
        return [zH, zL];
    }

    (T ZH, T ZL) Cycle<T>(T zH, T zL, T input, ILatentOps<T> ops) where T : class
    {
        for (int l = 0; l < config.LCycles; l++) zL = ops.Apply(lLevel, zL, ops.Add(zH, input));
        return (ops.Apply(lLevel, zH, zL), zL);
    }
}
