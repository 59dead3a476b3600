using System.Text.Json;
using Trm.Cli.Commands;
using Trm.IO;
using Trm.Model;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Model;

/// <summary>
/// verify-reference must handle any configuration a manifest describes. These fixtures are written
/// by our own code (writer, npz, one evaluation and one training step), so they check the machinery
/// for each variant (building from the manifest, loading, replay, comparison), not parity itself:
/// parity is the reference fixture's job.
/// </summary>
public class ArchitectureVariantTests
{
    [Theory]
    [InlineData(true, "none", "float32")]
    [InlineData(false, "learned", "float32")]
    [InlineData(false, "rope", "bfloat16")]
    public void VerifyReferenceReplaysEveryVariant(bool mlpT, string pos, string dtype)
    {
        using var dir = new TempDirectory();
        var config = TinyModels.Config(mlpT, pos, dtype);
        WriteFixture(dir.Path, config, perturb: false);

        var output = new StringWriter();
        Assert.Equal(0, VerifyReferenceCommand.Execute(dir.Path, output));
        Assert.Contains(mlpT ? "mlp_t" : "attention", output.ToString());
        Assert.Contains($"pos {pos}", output.ToString());

        WriteFixture(dir.Path, config, perturb: true);
        Assert.Equal(1, VerifyReferenceCommand.Execute(dir.Path, new StringWriter()));
    }

    /// <summary>Records step 1 of evaluation and training; <paramref name="perturb"/> shifts the recorded gradient of lm_head.</summary>
    static void WriteFixture(string directory, TrmConfig config, bool perturb)
    {
        var model = new ActLossHead(config);
        using (no_grad())
            foreach (var (_, p) in model.named_parameters().Where(p => p.name.Contains("q_head")))
                p.copy_(0.1 * randn(p.shape, generator: new Generator(5)));
        var state = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        TorchCheckpointWriter.Write(Path.Combine(directory, "checkpoint.pt"), state);
        TorchCheckpointWriter.Write(Path.Combine(directory, "checkpoint_compiled.pt"), state, TorchCheckpointReader.CompiledPrefix);

        var batch = TinyModels.Batch(config);
        var vectors = new Dictionary<string, Tensor>
        {
            ["batch.inputs"] = batch.Inputs, ["batch.labels"] = batch.Labels, ["batch.puzzle_identifiers"] = batch.PuzzleIdentifiers,
        };
        model.eval();
        using (no_grad())
        {
            var result = model.Forward(model.InitialCarry(batch), batch);
            vectors["eval.step1.logits"] = result.Outputs.Logits.to(ScalarType.Float64);
            vectors["eval.step1.z_H"] = result.Carry.Inner.Answer.to(ScalarType.Float64);
            vectors["eval.step1.preds"] = result.Predictions;
        }
        model.train();
        var training = model.Forward(model.InitialCarry(batch), batch);
        (training.Loss / TinyModels.BatchSize).backward();
        vectors["train.step1.loss"] = training.Loss.detach();
        vectors["train.step1.halted"] = training.Carry.Halted;
        var lmGrad = model.named_parameters().Single(p => p.name.EndsWith("lm_head.weight")).parameter.grad!;
        vectors["train.step1.grad.model.inner.lm_head.weight"] = (perturb ? lmGrad * 1.01 : lmGrad).to(ScalarType.Float64);
        vectors["train.step1.grad.puzzle_emb.local_weights"] = model.Model.Inner.PuzzleEmbedding!.LastRows!.Rows.grad!.to(ScalarType.Float64);
        new SignSgdSparse(model.Model.Inner.PuzzleEmbedding!, 1e-2, 0.1).Step();
        new AdamAtan2(model.parameters(), 1e-3, 0.9, 0.95, 0.1).Step();
        foreach (var (key, value) in model.state_dict()) vectors[$"train.step1.after.{key}"] = value.to(ScalarType.Float64);

        var npz = Path.Combine(directory, "vectors.npz");
        File.Delete(npz);
        NpzArchive.WriteAll(npz, vectors);
        var fields = ArchitectureFields.Write(config);
        (fields["seq_len"], fields["vocab_size"], fields["num_puzzle_identifiers"]) = (config.SeqLen, config.VocabSize, config.NumPuzzleIdentifiers);
        var manifest = new
        {
            name = "variant", arch = ArchitectureNames.Short(config.Architecture), config = fields, eval_steps = 1, loss = "stablemax_cross_entropy",
            optimizer = new { kind = "AdamATan2", lr = 1e-3, beta1 = 0.9, beta2 = 0.95, weight_decay = 0.1 },
            puzzle_emb_optimizer = new { kind = "SignSGD", lr = 1e-2, weight_decay = 0.1 },
        };
        File.WriteAllText(Path.Combine(directory, "manifest.json"), JsonSerializer.Serialize(manifest));
    }
}
