using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trm.Export;
using Trm.IO;
using Trm.Model;
using Trm.Verification;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Trm.Tests.Export;

/// <summary>
/// The exported step in ONNX Runtime against the TorchSharp step, on every reference fixture's configuration and weights in
/// float32: several supervision steps with the carry fed back, some rows reset onto other puzzles in a later step. Every
/// output within 1e-5 relative error (‖onnx − torch‖ / ‖torch‖ over the whole array, as the fixtures' README defines it);
/// in the steps that are the fixture's own evaluation steps, by the README's rule with that base: max(1e-5, 4 x the
/// reference's spread on the array), since where the reference moves itself by more than 1e-5 when its weights move by one
/// ulp (trm_hier6's first q_halt_logits: 8.5e-5), no other float32 kernel can come closer.
/// </summary>
public class OnnxParityTests(ITestOutputHelper log)
{
    const double Tolerance = 1e-5;

    public static TheoryData<string> Fixtures => new()
    {
        "att_rope_f32", "mlpt_learned_f32", "hrm_rope_f32", "singlez_rope_f32", "hier6_rope_f32", "baseline_rope_f32",
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void TheOnnxStepComputesTheTorchStepOverSeveralStepsWithResets(string folder)
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixtureNamed(folder));
        using var model = FixtureModel(fixture);
        using var dir = new TempDirectory();
        var path = dir.File("step.onnx");
        OnnxExport.Write(model.Model.Inner, path, [], folder);

        var batch = fixture.Batch();
        var failures = Compare(model.Model.Inner, path, batch.Inputs, batch.PuzzleIdentifiers, log, fixture);
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void AnyBatchSizeRuns(int batchSize)
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
        using var model = FixtureModel(fixture);
        using var dir = new TempDirectory();
        var path = dir.File("step.onnx");
        OnnxExport.Write(model.Model.Inner, path, [], "fixture");

        var batch = fixture.Batch();
        var rows = arange(batchSize) % batch.Size;   // the fixture's rows, repeated or cut
        var failures = Compare(model.Model.Inner, path, batch.Inputs.index_select(0, rows), batch.PuzzleIdentifiers.index_select(0, rows), log);
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    /// <summary>The fixture's model in float32 with its checkpoint's weights, in evaluation mode.</summary>
    internal static ActLossHead FixtureModel(ReferenceFixture fixture)
    {
        var model = new ActLossHead(fixture.Manifest.Config with { ForwardDtype = ForwardDtype.Float32 }, fixture.Manifest.Loss);
        StateDictLoader.Load(model, TorchCheckpointReader.ReadStateDict(fixture.CheckpointPath), fixture.CheckpointPath);
        model.eval();
        return model;
    }

    /// <summary>
    /// Runs four steps: all rows reset (the first step), none, rows 0 and 2 reset onto other puzzles (the rows rolled by one),
    /// none. Each step the graph runs on the latents the TorchSharp step carried forward, so each step compares the same
    /// function on the same inputs; returns the comparisons outside their tolerance. Steps 1 and 2 are the evaluation steps of
    /// <paramref name="fixture"/> (its batch from the initial carry), where its reference spread applies. Beside it the graph also
    /// runs on its own latents fed back, whose drift from TorchSharp is logged, not asserted: with random weights the
    /// recursion amplifies float32 rounding by up to 10x per step (the fixtures' reference_spread shows the same of the
    /// reference against itself), so after a few steps it measures that amplification, not the export (docs/onnx.md).
    /// </summary>
    internal static List<string> Compare(InnerModel inner, string onnxPath, Tensor inputs, Tensor puzzleIds, ITestOutputHelper log, ReferenceFixture? fixture = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, options);
        long size = inputs.shape[0];
        var torchCarry = inner.EmptyCarry(size, CPU);
        var ownLatents = torchCarry.States.Select(Floats).ToArray();
        var failures = new List<string>();
        for (int step = 1; step <= 4; step++)
        {
            var reset = step switch
            {
                1 => ones(size, ScalarType.Bool),
                3 => arange(size).remainder(2).eq(0),
                _ => zeros(size, ScalarType.Bool),
            };
            if (step == 3) (inputs, puzzleIds) = (inputs.roll(1, 0), puzzleIds.roll(1, 0));
            var shared = Run(session, inner, torchCarry.States.Select(Floats).ToArray(), reset, inputs, puzzleIds);
            var own = Run(session, inner, ownLatents, reset, inputs, puzzleIds);
            var (carry, logits, qHalt, qContinue) = inner.Forward(inner.ResetCarry(reset, torchCarry), new TrmBatch(inputs, inputs.to(ScalarType.Int64), puzzleIds));
            torchCarry = carry;

            List<(string Name, Tensor Expected)> expected = [.. inner.Latents.Zip(torchCarry.States).Select(p => (OnnxContract.Next(p.First), p.Second)),
                (OnnxContract.Logits, logits), (OnnxContract.QHaltLogits, qHalt), (OnnxContract.QContinueLogits, qContinue)];
            foreach (var (name, value) in expected)
            {
                Assert.Equal(value.shape, shared[name].Shape);
                var comparison = Comparison.Relative($"step {step} {name}", tensor(shared[name].Values, value.shape), value, ToleranceOf(fixture, step, name, inner.Latents[0]));
                var drift = Comparison.Relative("", tensor(own[name].Values, value.shape), value, Tolerance);
                log.WriteLine($"{comparison}; own latents fed back: {drift.Error:0.0e+00}");
                if (!comparison.Passed) failures.Add(comparison.ToString());
            }
            ownLatents = inner.Latents.Select(latent => own[OnnxContract.Next(latent)].Values).ToArray();
        }
        return failures;
    }

    /// <summary>1e-5; in step 1 or 2 of a fixture's batch (its own evaluation steps, which record the answer latent as z_H) at
    /// least 4 x the reference's spread on that array, the fixtures' rule with base 1e-5.</summary>
    static double ToleranceOf(ReferenceFixture? fixture, int step, string output, string answerLatent)
    {
        var array = output == OnnxContract.Next(answerLatent) ? "z_H" : output;
        return fixture is not null && step <= 2 && step <= fixture.Manifest.EvalSteps
            ? ReferenceVerifier.Tolerance(fixture, $"eval.step{step}.{array}", Tolerance) : Tolerance;
    }

    /// <summary>One step of the exported graph; every output by name, with its shape.</summary>
    static Dictionary<string, (float[] Values, long[] Shape)> Run(InferenceSession session, InnerModel inner, float[][] latents, Tensor reset, Tensor inputs, Tensor puzzleIds)
    {
        int size = (int)inputs.shape[0];
        int[] latentShape = [size, inner.Config.TotalSeqLen, inner.Config.HiddenSize];
        var feeds = inner.Latents.Select((latent, i) => NamedOnnxValue.CreateFromTensor(latent, new DenseTensor<float>(latents[i], latentShape)))
            .Append(NamedOnnxValue.CreateFromTensor(OnnxContract.Reset, new DenseTensor<bool>(reset.data<bool>().ToArray(), [size])))
            .Append(NamedOnnxValue.CreateFromTensor(OnnxContract.Inputs, new DenseTensor<int>(inputs.to(ScalarType.Int32).data<int>().ToArray(), Dims(inputs))))
            .Append(NamedOnnxValue.CreateFromTensor(OnnxContract.PuzzleIdentifiers, new DenseTensor<int>(puzzleIds.to(ScalarType.Int32).data<int>().ToArray(), [size])))
            .ToList();
        using var results = session.Run(feeds);
        return results.ToDictionary(r => r.Name, r =>
        {
            var values = r.AsTensor<float>();
            return (values.ToArray(), values.Dimensions.ToArray().Select(d => (long)d).ToArray());
        });
    }

    static float[] Floats(Tensor t) => t.to(ScalarType.Float32).contiguous().data<float>().ToArray();

    static int[] Dims(Tensor t) => t.shape.Select(d => (int)d).ToArray();
}
