using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>A stack of blocks applied to a latent: add the injection (when there is one), then run the layers.</summary>
public sealed class ReasoningModule : nn.Module<Tensor, Tensor?, RotaryTables?, Tensor>
{
    private readonly ModuleList<TrmBlock> layers;

    public ReasoningModule(TrmConfig config, int layerCount) : base(nameof(ReasoningModule))
    {
        layers = new ModuleList<TrmBlock>(Enumerable.Range(0, layerCount).Select(_ => new TrmBlock(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>Its blocks, in the order they apply.</summary>
    public IReadOnlyList<TrmBlock> Layers => [.. layers];

    // h, injection (B, L, D) -> (B, L, D)
    public override Tensor forward(Tensor h, Tensor? injection, RotaryTables? rotary)
    {
        if (injection is not null) h = h + injection;
        foreach (var layer in layers) h = layer.forward(h, rotary);
        return h;
    }

    /// <summary>
    /// One application inside a supervision step. Without gradients its intermediates (attention weights, MLP
    /// activations) are freed as soon as it returns; otherwise the caller's dispose scope would hold those of every
    /// application of the step (about 2.4 GB per sequence for the paper's ARC model) until the step ends.
    /// </summary>
    public Tensor Apply(Tensor h, Tensor? injection, RotaryTables? rotary)
    {
        if (is_grad_enabled()) return forward(h, injection, rotary);
        using var scope = NewDisposeScope();
        return forward(h, injection, rotary).MoveToOuterDisposeScope();
    }
}
