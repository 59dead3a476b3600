namespace Trm.Model;

/// <summary>
/// What distinguishes the architectures: the reasoning modules (<see cref="Levels"/>), the latents carried between
/// supervision steps (<see cref="Latents"/>) and how one supervision step updates them (<see cref="Run"/>), including
/// which applications record gradients. Everything around it (embeddings, heads, carry resets, ACT, loss) is shared in
/// <see cref="InnerModel"/>, <see cref="TrmAct"/> and <see cref="ActLossHead"/>. Each sits in its architecture's file, below
/// the <see cref="ArchitectureDefinition"/> that builds it.
/// </summary>
/// <param name="latents">Its definition's <see cref="ArchitectureDefinition.Latents"/>.</param>
public abstract class Recursion(IReadOnlyList<string> latents)
{
    /// <summary>The modules with their state-dict names (<c>L_level</c>, <c>H_level</c>), registered by the inner model.</summary>
    public abstract IReadOnlyList<(string Name, ReasoningModule Level)> Levels { get; }

    /// <summary>The carry's latents by the reference's names (<c>z_H</c>, <c>z_L</c>, <c>z_L1</c>...), the answer state first.</summary>
    public IReadOnlyList<string> Latents { get; } = latents;

    /// <summary>
    /// One supervision step's recursion.
    /// </summary>
    /// <param name="z">The latents in <see cref="Latents"/> order, each (B, L, D); the array may be reused.</param>
    /// <param name="input">The scaled input embeddings (B, L, D).</param>
    /// <param name="ops">What adds latents and applies levels: tensors for the model (<see cref="TensorLatentOps"/>), graph values for an export.</param>
    /// <returns>The new latents in the same order; the answer state (index 0) carries the step's gradient.</returns>
    public abstract T[] Run<T>(T[] z, T input, ILatentOps<T> ops) where T : class;

    /// <summary>The buffer holding a latent's initial value: <c>z_H</c> -> <c>H_init</c>, <c>z_L3</c> -> <c>L3_init</c>.</summary>
    public static string InitName(string latent) => latent["z_".Length..] + "_init";

    /// <summary>The recursion of <paramref name="config"/>'s architecture.</summary>
    public static Recursion For(TrmConfig config) => ArchitectureDefinition.Of(config.Architecture).BuildRecursion(config);
}
