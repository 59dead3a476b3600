using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// TRM (<c>trm.py</c>): one network <c>L_level</c> for both latents. Per H cycle: z_L &lt;- net(z_L, z_H + x) L_cycles
/// times, then z_H &lt;- net(z_H, z_L). The first H_cycles - 1 cycles run without gradient; the last one records it.
/// </summary>
public sealed class TrmRecursion(TrmConfig config) : Recursion
{
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("L_level", lLevel)];
    public override IReadOnlyList<string> Latents => ["z_H", "z_L"];

    public override Tensor[] Run(Tensor[] z, Tensor input, RotaryTables? rotary)
    {
        Tensor zH = z[0], zL = z[1];
        using (no_grad())
            for (int h = 0; h < config.HCycles - 1; h++) (zH, zL) = Cycle(zH, zL, input, rotary);
        (zH, zL) = Cycle(zH, zL, input, rotary);
        return [zH, zL];
    }

    (Tensor ZH, Tensor ZL) Cycle(Tensor zH, Tensor zL, Tensor input, RotaryTables? rotary)
    {
        for (int l = 0; l < config.LCycles; l++) zL = lLevel.Apply(zL, zH + input, rotary);
        return (lLevel.Apply(zH, zL, rotary), zL);
    }
}
