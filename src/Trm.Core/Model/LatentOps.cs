using static TorchSharp.torch;

namespace Trm.Model;

/// <summary>
/// The three things a <see cref="Recursion"/> does with latents: add two, apply a level (with an injection), and run a
/// stretch without gradient. The model runs it on tensors (<see cref="TensorLatentOps"/>); the ONNX export runs the same
/// recursion on the names of graph values, so that both follow one description of each architecture.
/// </summary>
/// <typeparam name="T">A latent: a tensor (B, L, D), or what stands for one.</typeparam>
public interface ILatentOps<T> where T : class
{
    T Add(T a, T b);

    /// <summary>One application of <paramref name="level"/> to <paramref name="h"/>, with <paramref name="injection"/> added first when there is one.</summary>
    T Apply(ReasoningModule level, T h, T? injection);

    /// <summary>Until disposed, applications record no gradient.</summary>
    IDisposable WithoutGradient();
}

/// <summary>The recursion on tensors: what the model computes.</summary>
public sealed class TensorLatentOps(RotaryTables? rotary) : ILatentOps<Tensor>
{
    public Tensor Add(Tensor a, Tensor b) => a + b;
    public Tensor Apply(ReasoningModule level, Tensor h, Tensor? injection) => level.Apply(h, injection, rotary);
    public IDisposable WithoutGradient() => no_grad();
}
