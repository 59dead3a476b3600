using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Tests.Model;

public class ActHaltingTests
{
    [Fact]
    public void EvaluationRunsExactlyHaltMaxStepsAndReloadsHaltedSlots()
    {
        var config = TinyModels.Config();
        var model = new ActLossHead(config);
        model.eval();
        using var noGrad = no_grad();
        var batch = TinyModels.Batch(config);
        var carry = model.InitialCarry(batch);
        for (int step = 1; step <= config.HaltMaxSteps; step++)
        {
            var result = model.Forward(carry, batch);
            Assert.Equal(step == config.HaltMaxSteps, result.AllHalted);
            Assert.Equal(Enumerable.Repeat(step, TinyModels.BatchSize), result.Carry.Steps.data<int>().ToArray());
            carry = result.Carry;
        }
        // All halted: the next step restarts every slot from step 1 on the new batch.
        var next = TinyModels.Batch(config, seed: 7);
        var restarted = model.Forward(carry, next);
        Assert.Equal(Enumerable.Repeat(1, TinyModels.BatchSize), restarted.Carry.Steps.data<int>().ToArray());
        TensorAssert.Identical(next.Inputs, restarted.Carry.CurrentData.Inputs);
    }

    [Fact]
    public void ARowsHaltingDecisionIsTheBatchsForEveryRule()
    {
        // Logits around 0, around each threshold's logit (the floats just below and above it) and far out, against q_continue.
        var policies = new[] { HaltingPolicy.Fixed(4), new HaltingPolicy(4, HaltRule.QHalt), new HaltingPolicy(4, HaltRule.QHaltOverContinue),
            HaltingPolicy.Adaptive(4, 0.99), HaltingPolicy.Adaptive(4, 0.5), HaltingPolicy.Adaptive(4, 0.123) };
        var near = policies.Select(p => (float)p.ThresholdLogit).SelectMany(f => new[] { MathF.BitDecrement(f), f, MathF.BitIncrement(f) });
        var qHalt = near.Concat([0f, -0f, float.Epsilon, -float.Epsilon, 3f, -3f, 40f, -40f, float.NaN]).ToArray();
        var qContinue = qHalt.Select((q, i) => i % 3 == 0 ? q : i % 3 == 1 ? MathF.BitIncrement(q) : -q).ToArray();
        foreach (var policy in policies)
        {
            var batch = policy.QHeadSaysDone(tensor(qHalt), tensor(qContinue)).data<bool>().ToArray();
            Assert.Equal(batch, qHalt.Select((q, i) => policy.QHeadSaysDone(q, qContinue[i])));
        }
        Assert.Contains(true, HaltingPolicy.Adaptive(4, 0.99).QHeadSaysDone(tensor(qHalt), tensor(qContinue)).data<bool>().ToArray());
    }

    [Fact]
    public void TrainingHaltsWhereQHaltIsPositive()
    {
        var config = TinyModels.Config() with { HaltMaxSteps = 5 };
        var model = new ActLossHead(config);
        model.train();
        var batch = TinyModels.Batch(config);
        var first = model.Forward(model.InitialCarry(batch), batch);

        var expected = (first.Outputs.QHaltLogits > 0).data<bool>().ToArray();
        Assert.Equal(expected, first.Carry.Halted.data<bool>().ToArray());
        Assert.All(expected, Assert.False);   // the Q head starts at bias -5: nobody halts at once
    }

    [Fact]
    public void ExplorationForcesAMinimumNumberOfSteps()
    {
        var config = TinyModels.Config() with { HaltMaxSteps = 4, HaltExplorationProb = 1.0 };
        var model = new ActLossHead(config);
        using (no_grad()) model.Model.Inner.named_parameters().Single(p => p.name == "q_head.bias").parameter.fill_(5.0);   // always wants to halt
        model.train();
        var batch = TinyModels.Batch(config);
        var result = model.Forward(model.InitialCarry(batch), batch);

        Assert.True((result.Outputs.QHaltLogits > 0).all().item<bool>());
        Assert.False(result.Carry.Halted.any().item<bool>());   // min steps >= 2 keeps every slot going at step 1
    }

    [Fact]
    public void ActContinueVariantTrainsTheQContinueHeadOnTheBootstrappedTarget()
    {
        var config = TinyModels.Config(noActContinue: false);
        var model = new ActLossHead(config);
        // A trained-looking Q head: with the zero init both Q outputs are -5 everywhere and the target
        // equals the output, which would hide a missing gradient.
        using (no_grad())
            foreach (var (name, p) in model.Model.Inner.named_parameters().Where(p => p.name.StartsWith("q_head")))
                p.copy_(randn(p.shape, generator: new Generator(3)));
        model.train();
        var batch = TinyModels.Batch(config);
        var carry = model.InitialCarry(batch);
        var result = model.Forward(carry, batch);

        // The target is sigmoid of the next step's max(q_halt, q_continue) (q_halt at the last step).
        Assert.NotNull(result.Outputs.TargetQContinue);
        using (no_grad())
        {
            var (_, _, nextHalt, nextContinue) = model.Model.Inner.Forward(result.Carry.Inner, result.Carry.CurrentData);
            var expected = sigmoid(maximum(nextHalt, nextContinue));
            Assert.True(allclose(expected, result.Outputs.TargetQContinue!, rtol: 1e-5, atol: 1e-6));
        }
        Assert.NotNull(result.Metrics.QContinueLoss);
        var qContinueLoss = nn.functional.binary_cross_entropy_with_logits(result.Outputs.QContinueLogits, result.Outputs.TargetQContinue!, reduction: nn.Reduction.Sum);
        var expectedLoss = result.Metrics.LmLoss + 0.5 * (result.Metrics.QHaltLoss + qContinueLoss.detach());
        Assert.Equal(expectedLoss.item<double>(), result.Loss.item<double>(), 1e-9);

        // Halting compares q_halt with q_continue.
        var expectedHalted = (result.Outputs.QHaltLogits > result.Outputs.QContinueLogits).data<bool>().ToArray();
        Assert.Equal(expectedHalted, result.Carry.Halted.data<bool>().ToArray());

        // The continue row of the Q head gets a gradient only in this variant.
        result.Loss.backward();
        var qWeightGrad = model.Model.Inner.named_parameters().Single(p => p.name == "q_head.weight").parameter.grad!;
        Assert.True(qWeightGrad[1].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void PaperVariantLeavesTheQContinueRowWithoutGradient()
    {
        var config = TinyModels.Config(noActContinue: true);
        var model = new ActLossHead(config);
        model.train();
        var batch = TinyModels.Batch(config);
        var result = model.Forward(model.InitialCarry(batch), batch);
        Assert.Null(result.Outputs.TargetQContinue);
        Assert.Null(result.Metrics.QContinueLoss);

        result.Loss.backward();
        var qWeightGrad = model.Model.Inner.named_parameters().Single(p => p.name == "q_head.weight").parameter.grad!;
        Assert.Equal(0f, qWeightGrad[1].abs().sum().item<float>());
        Assert.True(qWeightGrad[0].abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(true, "none")]
    [InlineData(false, "learned")]
    [InlineData(false, "rope")]
    public void EveryArchitectureVariantHasTheReferenceStateDictNames(bool mlpT, string pos)
    {
        var config = TinyModels.Config(mlpT, pos);
        var keys = new ActLossHead(config).state_dict().Keys.ToHashSet();

        Assert.Contains("model.inner.embed_tokens.embedding_weight", keys);
        Assert.Contains("model.inner.puzzle_emb.weights", keys);
        Assert.Contains("model.inner.H_init", keys);
        Assert.Contains("model.inner.q_head.bias", keys);
        Assert.Contains("model.inner.L_level.layers.1.mlp.down_proj.weight", keys);
        Assert.Equal(mlpT, keys.Contains("model.inner.L_level.layers.0.mlp_t.gate_up_proj.weight"));
        Assert.Equal(!mlpT, keys.Contains("model.inner.L_level.layers.0.self_attn.qkv_proj.weight"));
        Assert.Equal(pos == "learned", keys.Contains("model.inner.embed_pos.embedding_weight"));
        Assert.DoesNotContain(keys, k => k.Contains("cos_cached") || k.Contains("sin_cached"));
    }
}
