using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>The one network TRM applies over and over: add the injection, then run the layers.</summary>
public sealed class ReasoningModule : nn.Module<Tensor, Tensor, RotaryTables?, Tensor>
{
    private readonly ModuleList<TrmBlock> layers;

    public ReasoningModule(TrmConfig config) : base(nameof(ReasoningModule))
    {
        layers = new ModuleList<TrmBlock>(Enumerable.Range(0, config.LLayers).Select(_ => new TrmBlock(config)).ToArray());
        RegisterComponents();
    }

    // h, injection (B, L, D) -> (B, L, D)
    public override Tensor forward(Tensor h, Tensor injection, RotaryTables? rotary)
    {
        h = h + injection;
        foreach (var layer in layers) h = layer.forward(h, rotary);
        return h;
    }
}
