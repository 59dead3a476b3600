using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// HRM (<c>hrm.py</c>): a low-level module <c>L_level</c> (L_layers) and a high-level one <c>H_level</c> (H_layers). Per
/// H cycle: z_L &lt;- L(z_L, z_H + x) L_cycles times, then z_H &lt;- H(z_H, z_L). Everything runs without gradient except
/// the very last L and H applications (the "1-step gradient").
/// </summary>
public sealed class HrmRecursion(TrmConfig config) : Recursion
{
    private readonly ReasoningModule hLevel = new(config, config.HLayers);
    private readonly ReasoningModule lLevel = new(config, config.LLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("H_level", hLevel), ("L_level", lLevel)];
    public override IReadOnlyList<string> Latents => ["z_H", "z_L"];

    public override Tensor[] Run(Tensor[] z, Tensor input, RotaryTables? rotary)
    {
        Tensor zH = z[0], zL = z[1];
        using (no_grad())
        {
            for (int h = 0; h < config.HCycles; h++)
            {
                bool lastCycle = h == config.HCycles - 1;
                for (int l = 0; l < (lastCycle ? config.LCycles - 1 : config.LCycles); l++) zL = lLevel.Apply(zL, zH + input, rotary);
                if (!lastCycle) zH = hLevel.Apply(zH, zL, rotary);
            }
        }
        zL = lLevel.Apply(zL, zH + input, rotary);
        zH = hLevel.Apply(zH, zL, rotary);
        return [zH, zL];
    }
}
