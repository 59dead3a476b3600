using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Trm.Export;
using Trm.Model;
using Trm.Tests.IO;
using Trm.Verification;

namespace Trm.Tests.Cli;

/// <summary><c>trm export onnx</c> on a checkpoint in the paper's layout, run as a user would, and its file in ONNX Runtime.</summary>
public class ExportCliTests
{
    [Fact]
    public void AnExportedReferenceCheckpointGivesThePapersFirstStepInOnnxRuntime()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));
        var output = dir.File("step.onnx");

        var (exit, stdout, stderr) = TrmProcess.Run("export", "onnx", checkpoint, output, "--seq-len", "81");

        Assert.True(exit == 0, stderr);
        Assert.Contains("inputs : z_H, z_L (B, 97, 64) float32, reset (B) bool, inputs (B, 81) int32, puzzle_identifiers (B) int32 below 4", stdout);
        Assert.Contains("outputs: z_H_next, z_L_next, logits (B, 81, 11), q_halt_logits (B), q_continue_logits (B)", stdout);
        using var session = new InferenceSession(output);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("1", metadata[OnnxContract.Keys.ContractVersion]);
        Assert.Equal("trm", metadata[OnnxContract.Keys.Architecture]);
        Assert.Equal("z_H,z_L", metadata[OnnxContract.Keys.Latents]);
        Assert.Equal(("81", "11", "4", "16"), (metadata[OnnxContract.Keys.SeqLen], metadata[OnnxContract.Keys.VocabSize],
            metadata[OnnxContract.Keys.NumPuzzleIdentifiers], metadata[OnnxContract.Keys.PuzzleEmbLen]));
        var config = JsonNode.Parse(metadata[OnnxContract.Keys.Config])!;
        Assert.Equal(ReferenceNames.Of(Architecture.Trm), (string)config["name"]!);
        Assert.Equal(3, (int)config["L_cycles"]!);
        Assert.Equal([-1, 97, 64], session.InputMetadata["z_H"].Dimensions);   // -1: the batch is free
        Assert.Equal([-1, 81, 11], session.OutputMetadata[OnnxContract.Logits].Dimensions);

        // From halted slots, the graph's first step is the paper's code's first evaluation step (the README's rule).
        var fixture = ReferenceCheckpoint.Fixture;
        var batch = fixture.Batch();
        int size = (int)batch.Size;
        var zeros = new DenseTensor<float>([size, 97, 64]);
        using var results = session.Run([
            NamedOnnxValue.CreateFromTensor("z_H", zeros), NamedOnnxValue.CreateFromTensor("z_L", zeros),
            NamedOnnxValue.CreateFromTensor(OnnxContract.Reset, new DenseTensor<bool>(Enumerable.Repeat(true, size).ToArray(), [size])),
            NamedOnnxValue.CreateFromTensor(OnnxContract.Inputs, new DenseTensor<int>(batch.Inputs.data<int>().ToArray(), [size, 81])),
            NamedOnnxValue.CreateFromTensor(OnnxContract.PuzzleIdentifiers, new DenseTensor<int>(batch.PuzzleIdentifiers.data<int>().ToArray(), [size])),
        ]);
        foreach (var (name, key) in new[] { (OnnxContract.Logits, "eval.step1.logits"), (OnnxContract.QHaltLogits, "eval.step1.q_halt_logits"), ("z_H_next", "eval.step1.z_H") })
        {
            var reference = fixture.Get(key);
            var values = results.Single(r => r.Name == name).AsTensor<float>().ToArray();
            var comparison = Comparison.Relative(key, TorchSharp.torch.tensor(values, reference.shape), reference,
                ReferenceVerifier.Tolerance(fixture, key, ReferenceVerifier.OutputTolerance));
            Assert.True(comparison.Passed, comparison.ToString());
        }
    }

    [Fact]
    public void AReferenceCheckpointWithRotaryPositionsNeedsTheSequenceLengthAndNothingIsWritten()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));

        var (exit, _, stderr) = TrmProcess.Run("export", "onnx", checkpoint, dir.File("step.onnx"));

        Assert.Equal(2, exit);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("does not record the length of the puzzles", stderr);
        Assert.Contains("pass --seq-len N", stderr);
        Assert.Equal(["ref"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ALengthTheWeightsContradictIsRefusedByItsFlag()
    {
        using var dir = new TempDirectory();
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixtureNamed("mlpt_learned_f32"));
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"), fixture: fixture);

        var (exit, _, stderr) = TrmProcess.Run("export", "onnx", checkpoint, dir.File("step.onnx"), "--seq-len", "5");

        Assert.Equal(2, exit);
        Assert.Contains("--seq-len is 5, but ", stderr);
        Assert.Contains("was trained on puzzles of 16 tokens", stderr);
        Assert.False(File.Exists(dir.File("step.onnx")));
    }

    [Fact]
    public void AnExistingOutputOrTheCheckpointsOwnFileIsNotOverwritten()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));
        File.WriteAllText(dir.File("step.onnx"), "mine");
        var weights = Path.Combine(checkpoint, ReferenceCheckpoint.StepFile);
        var before = File.ReadAllBytes(weights);

        var (exit, _, stderr) = TrmProcess.Run("export", "onnx", checkpoint, dir.File("step.onnx"), "--seq-len", "81");
        Assert.Equal(2, exit);
        Assert.Contains("already exists; remove it, choose another name, or replace it with --force", stderr);
        Assert.Equal("mine", File.ReadAllText(dir.File("step.onnx")));

        (exit, _, stderr) = TrmProcess.Run("export", "onnx", checkpoint, weights, "--seq-len", "81", "--force");
        Assert.Equal(2, exit);
        Assert.Contains("is the checkpoint's own; write the export somewhere else", stderr);
        Assert.Equal(before, File.ReadAllBytes(weights));

        (exit, _, stderr) = TrmProcess.Run("export", "onnx", checkpoint, dir.File("step.onnx"), "--seq-len", "81", "--force");
        Assert.True(exit == 0, stderr);
        Assert.NotEqual("mine", File.ReadAllText(dir.File("step.onnx")));
    }

    [Fact]
    public void AModelBeyondOnnxsTwoGigabytesIsRefusedNamingWhatMakesItLarge()
    {
        // ARC-sized puzzle-embedding table: 2 M identifiers x 512 values, never allocated (the refusal comes from the config).
        var config = TinyModels.Config() with { NumPuzzleIdentifiers = 2_000_000, PuzzleEmbNdim = 512, HiddenSize = 512, NumHeads = 8, PuzzleEmbLen = 1 };

        var error = Assert.Throws<TrmException>(() => OnnxExport.RequireExportable(config));

        Assert.Contains("num_puzzle_identifiers 2000000 x puzzle_emb_ndim 512", error.Message);
        Assert.Contains("an ONNX file holds at most 2 GB", error.Message);
        OnnxExport.RequireExportable(TinyModels.Config());   // a small one passes
    }

    [Fact]
    public void ATruncatedExportDoesNotLoadInOnnxRuntime()
    {
        // What a solver must turn into a one-line error: ONNX Runtime refuses the file, it does not run half a graph.
        var fixture = ReferenceCheckpoint.Fixture;
        using var model = Export.OnnxParityTests.FixtureModel(fixture);
        using var dir = new TempDirectory();
        OnnxExport.Write(model.Model.Inner, dir.File("step.onnx"), [], "fixture");
        var bytes = File.ReadAllBytes(dir.File("step.onnx"));
        File.WriteAllBytes(dir.File("cut.onnx"), bytes[..(bytes.Length / 2)]);

        Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(dir.File("cut.onnx")));
        using var whole = new InferenceSession(dir.File("step.onnx"));
        Assert.Equal(["z_H", "z_L", OnnxContract.Reset, OnnxContract.Inputs, OnnxContract.PuzzleIdentifiers], whole.InputNames);
        Assert.Equal(["z_H_next", "z_L_next", OnnxContract.Logits, OnnxContract.QHaltLogits, OnnxContract.QContinueLogits], whole.OutputNames);
    }
}
