namespace Trm.Model;

/// <summary>
/// HRM: the latents z_H and z_L, an L level (L_layers) and an H level (H_layers). It places the puzzle embedding on
/// ceil(puzzle_emb_ndim / hidden_size) positions (puzzle_emb_len 0) and halts when q_halt &gt; q_continue (no_ACT_continue
/// false), neither of which its config can change.
/// </summary>
public sealed class HrmArchitecture : ArchitectureDefinition
{
    public override Architecture Architecture => Architecture.Hrm;
    public override IReadOnlyList<string> Fields => [.. SharedFields, "L_cycles", "L_layers", "mlp_t"];
    public override TrmConfig Defaults => new()
    {
        Architecture = Architecture.Hrm, HCycles = 2, LCycles = 2, HLayers = 4, LLayers = 4, PuzzleEmbLen = 0, NoActContinue = false,
    };
    public override IReadOnlyList<string> Latents => ["z_H", "z_L"];

    /// <summary>Per H cycle L_cycles applications of L and one of H; only the very last of each with gradient.</summary>
    public override IReadOnlyList<LevelApplications> Levels(TrmConfig config) =>
    [
        new("L_level", config.LLayers, (long)config.HCycles * config.LCycles, 1),
        new("H_level", config.HLayers, config.HCycles, 1),
    ];

    public override bool LearnsQContinue(TrmConfig config) => !config.NoActContinue;

    public override IEnumerable<string> Problems(TrmConfig config)
    {
        if (config.HLayers < 1) yield return HLayersProblem(config);
    }

    public override Recursion BuildRecursion(TrmConfig config) => new HrmRecursion(config, Latents);
}

/// <summary>
/// HRM (<c>hrm.py</c>): a low-level module <c>L_level</c> (L_layers) and a high-level one <c>H_level</c> (H_layers). Per
/// H cycle: z_L &lt;- L(z_L, z_H + x) L_cycles times, then z_H &lt;- H(z_H, z_L). Everything runs without gradient except
/// the very last L and H applications (the "1-step gradient").
/// </summary>
public sealed class HrmRecursion(TrmConfig config, IReadOnlyList<string> latents) : Recursion(latents)
{
    private readonly ReasoningModule hLevel = new(config, config.HLayers);
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("H_level", hLevel), ("L_level", lLevel)];

    public override T[] Run<T>(T[] z, T input, ILatentOps<T> ops)
    {
        T zH = z[0], zL = z[1];
        using (ops.WithoutGradient())
        {
            for (int h = 0; h < config.HCycles; h++)
            {
                bool lastCycle = h == config.HCycles - 1;
                for (int l = 0; l < (lastCycle ? config.LCycles - 1 : config.LCycles); l++) zL = ops.Apply(lLevel, zL, ops.Add(zH, input));
                if (!lastCycle) zH = ops.Apply(hLevel, zH, zL);
            }
        }
        zL = ops.Apply(lLevel, zL, ops.Add(zH, input));
        zH = ops.Apply(hLevel, zH, zL);
        return [zH, zL];
    }
}
