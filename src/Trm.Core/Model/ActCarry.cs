using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// What deep supervision keeps per batch slot between steps: latents, steps taken (int32),
/// whether the slot has halted (bool, so it takes a new example next step), and its current example.
/// </summary>
public sealed record ActCarry(InnerCarry Inner, Tensor Steps, Tensor Halted, TrmBatch CurrentData) : IDisposable
{
    IEnumerable<Tensor> Tensors => [.. Inner.States, Steps, Halted, CurrentData.Inputs, CurrentData.Labels, CurrentData.PuzzleIdentifiers];

    /// <summary>The carry with <paramref name="map"/> applied to each of its tensors (all indexed by slot in dim 0).</summary>
    public ActCarry Map(Func<Tensor, Tensor> map) => new(new InnerCarry(Inner.Names, [.. Inner.States.Select(map)]), map(Steps), map(Halted),
        new TrmBatch(map(CurrentData.Inputs), map(CurrentData.Labels), map(CurrentData.PuzzleIdentifiers)));

    /// <summary>Keeps the carry alive past the current dispose scope (it lives from one step to the next).</summary>
    public ActCarry MoveToOuterDisposeScope()
    {
        foreach (var t in Tensors) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }
}
