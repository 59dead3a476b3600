using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// The "single z" ablation (<c>trm_singlez.py</c>): one latent z_L, which the heads read as the answer. Per H cycle:
/// z_L &lt;- net(z_L + x) L_cycles times, then z_L &lt;- net(z_L) once; the last H cycle records gradients.
/// </summary>
public sealed class SingleZRecursion(TrmConfig config) : Recursion
{
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("L_level", lLevel)];
    public override IReadOnlyList<string> Latents => ["z_L"];

    public override Tensor[] Run(Tensor[] z, Tensor input, RotaryTables? rotary)
    {
        var zL = z[0];
        using (no_grad())
            for (int h = 0; h < config.HCycles - 1; h++) zL = Cycle(zL, input, rotary);
        return [Cycle(zL, input, rotary)];
    }

    Tensor Cycle(Tensor zL, Tensor input, RotaryTables? rotary)
    {
        for (int l = 0; l < config.LCycles; l++) zL = lLevel.Apply(zL, input, rotary);
        return lLevel.Apply(zL, null, rotary);
    }
}
