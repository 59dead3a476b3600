using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// The transformer baseline (<c>transformers_baseline.py</c>): no recursion inside a supervision step, one application of
/// <c>H_level</c> (H_layers layers) with gradient, z_H &lt;- net(z_H, x); only ACT's outer loop carries z_H on. H_cycles is unused.
/// </summary>
public sealed class TransformerBaselineRecursion(TrmConfig config) : Recursion
{
    private readonly ReasoningModule hLevel = new(config, config.HLayers);

    public override IReadOnlyList<(string Name, ReasoningModule Level)> Levels => [("H_level", hLevel)];
    public override IReadOnlyList<string> Latents => ["z_H"];

    public override Tensor[] Run(Tensor[] z, Tensor input, RotaryTables? rotary) => [hLevel.Apply(z[0], input, rotary)];
}
