using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>PyTorch's AdamW (decoupled weight decay), offered as an alternative to <see cref="AdamAtan2"/>.</summary>
public sealed class AdamW : IWeightOptimizer
{
    private readonly Parameter[] parameters;
    private readonly TorchSharp.Modules.AdamW inner;

    public AdamW(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.95, double weightDecay = 0.1, double eps = 1e-8)
    {
        this.parameters = [.. parameters];
        inner = optim.AdamW(this.parameters, lr, beta1, beta2, eps, weightDecay);
    }

    public double LearningRate
    {
        get => inner.ParamGroups.First().LearningRate;
        set { foreach (var group in inner.ParamGroups) group.LearningRate = value; }
    }

    public void Step() => inner.step();
    public void ZeroGrad() => inner.zero_grad();
    public void Dispose() => inner.Dispose();

    /// <summary>TorchSharp's state per parameter, in construction order (one state per parameter, as its state_dict lists them).</summary>
    IReadOnlyList<TorchSharp.Modules.AdamW.State> States()
    {
        var states = inner.state_dict().State.Cast<TorchSharp.Modules.AdamW.State>().ToList();
        if (states.Count != parameters.Length) throw new InvalidOperationException($"AdamW holds {states.Count} states for {parameters.Length} parameters.");
        return states;
    }

    /// <summary>Per parameter <c>i</c>: its step count (<c>step.i</c>: a parameter without a gradient does not step) and moment estimates.</summary>
    public Dictionary<string, Tensor> ExportState()
    {
        var state = new Dictionary<string, Tensor>();
        var states = States();
        for (int i = 0; i < states.Count; i++)
        {
            state[$"step.{i}"] = tensor(states[i].step);
            state[$"exp_avg.{i}"] = states[i].exp_avg;
            state[$"exp_avg_sq.{i}"] = states[i].exp_avg_sq;
        }
        return state;
    }

    public void ImportState(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        var states = States();
        using var noGrad = no_grad();
        for (int i = 0; i < states.Count; i++)
        {
            states[i].exp_avg.copy_(SavedOptimizerState.Get(state, $"exp_avg.{i}", parameters[i].shape, source));
            states[i].exp_avg_sq.copy_(SavedOptimizerState.Get(state, $"exp_avg_sq.{i}", parameters[i].shape, source));
            states[i].step = SavedOptimizerState.Count(state, $"step.{i}", source);
        }
    }
}
