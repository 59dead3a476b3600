namespace Trm.Model;

/// <summary>
/// What is particular to one <see cref="Model.Architecture"/>, in one place: its config fields and their defaults, the
/// latents it carries, the levels one supervision step applies (they give the blocks the model holds and the applications
/// the FLOP count multiplies), whether it learns the Q-continue head, the checks only it needs, and its
/// <see cref="Recursion"/>. <see cref="TrmConfig"/>, <see cref="ArchitectureFields"/> and the benchmarks ask it instead of
/// switching on the architecture. Each subclass sits in its architecture's file, above its recursion
/// (<c>HrmArchitecture.cs</c>); every member is abstract, so one that a new architecture leaves out does not compile.
/// </summary>
public abstract class ArchitectureDefinition
{
    /// <summary>The fields of every architecture's config class.</summary>
    protected static readonly IReadOnlyList<string> SharedFields =
    [
        "hidden_size", "num_heads", "expansion", "H_cycles", "H_layers", "pos_encodings", "rope_theta", "rms_norm_eps",
        "puzzle_emb_ndim", "halt_max_steps", "halt_exploration_prob", "forward_dtype",
    ];

    /// <summary>The registered architectures, one per member of <see cref="Model.Architecture"/>: a new one adds its line here.</summary>
    public static IReadOnlyList<ArchitectureDefinition> All { get; } =
    [
        new TrmArchitecture(),
        new HrmArchitecture(),
        new TrmSingleZArchitecture(),
        new TrmHier6Architecture(),
        new TransformersBaselineArchitecture(),
    ];

    /// <summary>The definition of <paramref name="architecture"/>.</summary>
    public static ArchitectureDefinition Of(Architecture architecture) =>
        All.FirstOrDefault(definition => definition.Architecture == architecture)
        ?? throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "no ArchitectureDefinition is registered for this architecture");

    public abstract Architecture Architecture { get; }

    /// <summary>
    /// The config keys of its reference config class, without the data-derived <c>batch_size</c>, <c>seq_len</c>,
    /// <c>vocab_size</c> and <c>num_puzzle_identifiers</c>: a config naming any other field is refused.
    /// </summary>
    public abstract IReadOnlyList<string> Fields { get; }

    /// <summary>Its configuration before a config sets anything: the reference's <c>config/arch/&lt;name&gt;.yaml</c> values.</summary>
    public abstract TrmConfig Defaults { get; }

    /// <summary>The carry's latents by the reference's names (<c>z_H</c>, <c>z_L</c>, <c>z_L1</c>...), the answer state first.</summary>
    public abstract IReadOnlyList<string> Latents { get; }

    /// <summary>
    /// The levels its recursion holds, each with its layers and how often one supervision step applies it. The first is
    /// "the net", the application a benchmark times and counts alone.
    /// </summary>
    public abstract IReadOnlyList<LevelApplications> Levels(TrmConfig config);

    /// <summary>Layers of transformer blocks the model holds: those of all its levels.</summary>
    public int Blocks(TrmConfig config) => Levels(config).Sum(level => level.Layers);

    /// <summary>Whether training learns the Q-continue head from a bootstrapped target (one more forward per step).</summary>
    public abstract bool LearnsQContinue(TrmConfig config);

    /// <summary>What is wrong with <paramref name="config"/> for this architecture only, beside the checks every config gets.</summary>
    public abstract IEnumerable<string> Problems(TrmConfig config);

    /// <summary>Its recursion over <paramref name="config"/>, carrying <see cref="Latents"/>.</summary>
    public abstract Recursion BuildRecursion(TrmConfig config);

    /// <summary>The problem of an architecture with an <c>H_level</c> whose <c>H_layers</c> is below 1.</summary>
    protected string HLayersProblem(TrmConfig config) =>
        $"H_layers must be at least 1 for {ArchitectureNames.Short(Architecture)} (is {config.HLayers})";
}
