namespace Trm.Model;

/// <summary>
/// The transformer baseline: one latent z_H and one H level (H_layers), applied once per supervision step with gradient;
/// its L fields are unused. It places the puzzle embedding on ceil(puzzle_emb_ndim / hidden_size) positions and never
/// learns the Q-continue head (its trainer does not ask for it); without recurrence inside a step it needs positions.
/// </summary>
public sealed class TransformersBaselineArchitecture : ArchitectureDefinition
{
    public override Architecture Architecture => Architecture.TransformersBaseline;
    public override IReadOnlyList<string> Fields => [.. SharedFields, "act_enabled", "act_inference"];
    public override TrmConfig Defaults => new()
    {
        Architecture = Architecture.TransformersBaseline, HCycles = 1, HLayers = 8, NumHeads = 12, LCycles = 1, LLayers = 1, PuzzleEmbLen = 0, NoActContinue = false,
    };
    public override IReadOnlyList<string> Latents => ["z_H"];
    public override IReadOnlyList<LevelApplications> Levels(TrmConfig config) => [new("H_level", config.HLayers, 1, 1)];
    public override bool LearnsQContinue(TrmConfig config) => false;

    public override IEnumerable<string> Problems(TrmConfig config)
    {
        if (config.HLayers < 1) yield return HLayersProblem(config);
        if (config.PosEncodings == PosEncoding.None) yield return "pos_encodings must be rope or learned for transformers_baseline (is none)";
    }

    public override Recursion BuildRecursion(TrmConfig config) => new TransformerBaselineRecursion(config, Latents);
}

/// <summary>
/// The transformer baseline (<c>transformers_baseline.py</c>): no recursion inside a supervision step, one application of
/// <c>H_level</c> (H_layers layers) with gradient, z_H &lt;- net(z_H, x); only ACT's outer loop carries z_H on. H_cycles is unused.
/// </summary>
public sealed class TransformerBaselineRecursion(TrmConfig config, IReadOnlyList<string> latents) : Recursion(latents)
{
    private readonly ReasoningModule hLevel = new(config, config.HLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("H_level", hLevel)];

    public override T[] Run<T>(T[] z, T input, ILatentOps<T> ops) => [ops.Apply(hLevel, z[0], input)];
}
