using Trm.IO;
using Trm.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

/// <summary>
/// Every weight optimizer saves and restores its state through <see cref="IWeightOptimizer"/> (what a checkpoint's
/// <c>optimizer.pt</c> holds), so that a resumed run continues exactly whichever optimizer it uses.
/// </summary>
public class WeightOptimizerStateTests
{
    static IWeightOptimizer Make(WeightOptimizerKind kind, Parameter[] parameters, double lr) => kind switch
    {
        WeightOptimizerKind.AdamW => new Trm.Training.AdamW(parameters, lr, beta1: 0.9, beta2: 0.95, weightDecay: 0.1),
        _ => new AdamAtan2(parameters, lr, beta1: 0.9, beta2: 0.95, weightDecay: 0.1),
    };

    /// <summary>A gradient for the first parameter only on even steps and always for the second (so per-parameter step counts differ).</summary>
    static void Step(IWeightOptimizer optimizer, Parameter[] parameters, int step, double lr)
    {
        var generator = new Generator((ulong)step);
        optimizer.LearningRate = lr;
        parameters[0].grad = step % 2 == 0 ? randn(parameters[0].shape, generator: generator) : null;
        parameters[1].grad = randn(parameters[1].shape, generator: generator);
        optimizer.Step();
        optimizer.ZeroGrad();
    }

    [Theory]
    [InlineData(WeightOptimizerKind.AdamAtan2)]
    [InlineData(WeightOptimizerKind.AdamW)]
    public void ARestoredOptimizerContinuesBitIdentically(WeightOptimizerKind kind)
    {
        using var dir = new TempDirectory();
        Parameter[] whole = [new(randn(3, 4)), new(randn(5))];
        using var wholeOptimizer = Make(kind, whole, lr: 0.01);
        for (int step = 1; step <= 3; step++) Step(wholeOptimizer, whole, step, lr: 0.01 * step);

        // Saved as a checkpoint saves it, restored into a fresh optimizer over a copy of the weights.
        TorchCheckpointWriter.Write(dir.File("optimizer.pt"), wholeOptimizer.ExportState());
        Parameter[] resumed = [.. whole.Select(p => new Parameter(p.detach().clone()))];
        using var resumedOptimizer = Make(kind, resumed, lr: 0.5);
        var saved = TorchCheckpointReader.ReadStateDict(dir.File("optimizer.pt"));
        resumedOptimizer.ImportState(saved, dir.File("optimizer.pt"));

        for (int step = 4; step <= 7; step++)
        {
            Step(wholeOptimizer, whole, step, lr: 0.01 * step);
            Step(resumedOptimizer, resumed, step, lr: 0.01 * step);
        }
        for (int i = 0; i < whole.Length; i++) TensorAssert.BitIdentical(whole[i], resumed[i], $"parameter {i}");
        var expected = wholeOptimizer.ExportState();
        var actual = resumedOptimizer.ExportState();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected) TensorAssert.BitIdentical(tensor, actual[key], key);
    }

    [Fact]
    public void AdamWStepsAsTorchSharpsAdamW()
    {
        Parameter[] ours = [new(randn(3, 4)), new(randn(5))];
        Parameter[] theirs = [.. ours.Select(p => new Parameter(p.detach().clone()))];
        using var optimizer = new Trm.Training.AdamW(ours, lr: 0.01, beta1: 0.9, beta2: 0.95, weightDecay: 0.1, eps: 1e-8);
        using var torchOptimizer = optim.AdamW(theirs, 0.01, 0.9, 0.95, 1e-8, 0.1);
        for (int step = 1; step <= 5; step++)
        {
            Step(optimizer, ours, step, lr: 0.01 * step);
            foreach (var group in torchOptimizer.ParamGroups) group.LearningRate = 0.01 * step;
            var generator = new Generator((ulong)step);   // the same gradients as Step gives
            theirs[0].grad = step % 2 == 0 ? randn(theirs[0].shape, generator: generator) : null;
            theirs[1].grad = randn(theirs[1].shape, generator: generator);
            torchOptimizer.step();
            torchOptimizer.zero_grad();
        }
        for (int i = 0; i < ours.Length; i++) TensorAssert.BitIdentical(theirs[i], ours[i], $"parameter {i}");
    }

    [Fact]
    public void AdamAtan2KeepsTheKeysOfExistingCheckpoints()
    {
        Parameter[] parameters = [new(randn(2)), new(randn(3))];
        using var optimizer = new AdamAtan2(parameters, lr: 0.01);
        Assert.Equal(["exp_avg.0", "exp_avg.1", "exp_avg_sq.0", "exp_avg_sq.1", "step"], optimizer.ExportState().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AdamWStepsCountPerParameter()
    {
        Parameter[] parameters = [new(randn(2)), new(randn(3))];
        using var optimizer = new Trm.Training.AdamW(parameters, lr: 0.01);
        for (int step = 1; step <= 3; step++) Step(optimizer, parameters, step, lr: 0.01);
        var state = optimizer.ExportState();
        Assert.Equal(["exp_avg.0", "exp_avg.1", "exp_avg_sq.0", "exp_avg_sq.1", "step.0", "step.1"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, state["step.0"].item<long>());   // a gradient on step 2 only
        Assert.Equal(3, state["step.1"].item<long>());
    }

    [Fact]
    public void AMissingKeyNamesTheFile()
    {
        Parameter[] parameters = [new(randn(2))];
        using var optimizer = new Trm.Training.AdamW(parameters, lr: 0.01);
        var state = optimizer.ExportState();
        state.Remove("step.0");
        var error = Assert.Throws<TrmException>(() => optimizer.ImportState(state, "run/optimizer.pt"));
        Assert.Contains("run/optimizer.pt: optimizer state 'step.0' is missing", error.Message);
    }
}
