using System.IO.Compression;
using System.Text;
using Trm.IO;
using Trm.Tests.IO;
using Trm.Training;
using Trm.Verification;
using Xunit.Abstractions;
using Trm.Checkpoints;

namespace Trm.Tests.Cli;

/// <summary><c>trm convert</c> and <c>trm eval --checkpoint</c> on a checkpoint in the paper's layout, run as a user would.</summary>
public class ConvertCliTests(ITestOutputHelper log)
{
    static ReferenceFixture Fixture => ReferenceCheckpoint.Fixture;

    static string Row(string stdout) => stdout.Split('\n').Single(l => l.TrimStart().StartsWith("all ", StringComparison.Ordinal));

    [Fact]
    public void AReferenceCheckpointEvaluatedThroughCheckpointGivesTheFixtureOutputs()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"), evalSaveOutputs: ["preds", "q_halt_logits"]);
        var data = ReferenceCheckpoint.Dataset(dir.File("data"));

        var (exit, stdout, stderr) = TrmProcess.Run("eval", "--checkpoint", checkpoint, "--data", data, "--batch-size", "4", "--out", dir.File("eval"));
        Assert.True(exit == 0, stderr);
        log.WriteLine(stdout);
        Assert.Contains($"evaluated {Path.Combine(checkpoint, ReferenceCheckpoint.StepFile)} (attention, H_cycles 2, L_cycles 3, halt_max_steps 3)", stdout);

        // the evaluation's last step is the fixture's eval.step3, for every example
        var saved = TorchCheckpointReader.ReadStateDict(dir.File("eval/all_preds.0"));
        Assert.True(Comparison.Identical("preds", saved["preds"], Fixture.Get("eval.step3.preds")).Passed);
        var q = Comparison.Relative("q_halt_logits", saved["q_halt_logits"], Fixture.Get("eval.step3.q_halt_logits"), ReferenceVerifier.OutputTolerance);
        Assert.True(q.Passed, q.ToString());

        // and so are its metrics (sums over the labelled examples in the fixture)
        double count = Fixture.Get("eval.step3.metric.count").item<long>();
        double tokenAccuracy = Fixture.Get("eval.step3.metric.accuracy").item<double>() / count;
        double qHaltAccuracy = Fixture.Get("eval.step3.metric.q_halt_accuracy").item<long>() / count;
        var row = Row(stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("3", row[1]);
        Assert.Contains($"{tokenAccuracy:P2} ", Row(stdout));
        Assert.EndsWith($"{qHaltAccuracy:P2}", Row(stdout).TrimEnd());
    }

    [Fact]
    public void DirectoryToSafetensorsToDirectoryEvaluatesTheSame()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));
        var data = ReferenceCheckpoint.Dataset(dir.File("data"));

        var (exit, stdout, stderr) = TrmProcess.Run("convert", checkpoint, dir.File("model.safetensors"));
        Assert.True(exit == 0, stderr);
        log.WriteLine(stdout);
        Assert.Contains($"read  {Path.Combine(checkpoint, ReferenceCheckpoint.StepFile)}", stdout);
        Assert.Contains($"wrote {dir.File("model.safetensors")} (safetensors, config in metadata 'trm_config'):", stdout);
        Assert.Contains("15 tensors, 132,994 parameters, float32, ", stdout);
        Assert.Equal("trm_config", SafetensorsReader.ReadHeader(dir.File("model.safetensors")).Metadata.Keys.Single(k => k != "format"));

        (exit, stdout, stderr) = TrmProcess.Run("convert", dir.File("model.safetensors"), dir.File("back"));
        Assert.True(exit == 0, stderr);
        Assert.Contains($"wrote {dir.File("back")} (checkpoint directory: all_config.yaml, model.pt):", stdout);
        Assert.Equal(new[] { "all_config.yaml", "model.pt" }, Directory.GetFiles(dir.File("back")).Select(f => Path.GetFileName(f)).Order());

        var original = TrmProcess.Run("eval", "--checkpoint", checkpoint, "--data", data, "--batch-size", "4");
        var converted = TrmProcess.Run("eval", "--checkpoint", dir.File("back"), "--data", data, "--batch-size", "4");
        Assert.True(original.ExitCode == 0, original.Stderr);
        Assert.True(converted.ExitCode == 0, converted.Stderr);
        Assert.Contains($"evaluated {dir.File("back/model.pt")}", converted.Stdout);
        Assert.Equal(Row(original.Stdout), Row(converted.Stdout));

        var direct = TrmProcess.Run("eval", "--checkpoint", checkpoint, "--weights", dir.File("model.safetensors"), "--data", data, "--batch-size", "4");
        Assert.True(direct.ExitCode == 0, direct.Stderr);
        Assert.Contains($"evaluated {dir.File("model.safetensors")}", direct.Stdout);
        Assert.Equal(Row(original.Stdout), Row(direct.Stdout));
    }

    [Fact]
    public void APtFileWithTheCompiledPrefixAndAConfigConvertsToSafetensorsAndADirectory()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));

        var (exit, stdout, stderr) = TrmProcess.Run("convert", checkpoint, dir.File("step.pt"), "--compiled-prefix", "--dtype", "bfloat16");
        Assert.True(exit == 0, stderr);
        Assert.Contains("(PyTorch state dict, keys _orig_mod.model.inner.*)", stdout);
        Assert.Contains("bfloat16", stdout);
        using (var zip = ZipFile.OpenRead(dir.File("step.pt")))
        using (var pickle = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).Open(), Encoding.Latin1))
        {
            var text = pickle.ReadToEnd();
            Assert.Contains("_orig_mod.model.inner.lm_head.weight", text);
            Assert.Contains("BFloat16Storage", text);
        }

        // a .pt holds no config: a directory needs --config
        (exit, _, stderr) = TrmProcess.Run("convert", dir.File("step.pt"), dir.File("out"));
        Assert.Equal(2, exit);
        Assert.Contains("carries no configuration", stderr);
        Assert.Contains("--config all_config.yaml", stderr);
        Assert.False(Directory.Exists(dir.File("out")));

        (exit, stdout, stderr) = TrmProcess.Run("convert", dir.File("step.pt"), dir.File("m.safetensors"), "--config", Path.Combine(checkpoint, "all_config.yaml"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("config in metadata 'trm_config'", stdout);
        (exit, _, stderr) = TrmProcess.Run("convert", dir.File("m.safetensors"), dir.File("out"));
        Assert.True(exit == 0, stderr);

        var weights = CheckpointModel.ReadWeights(dir.File("out/model.pt"));
        var original = TorchCheckpointReader.ReadStateDict(Fixture.CompiledCheckpointPath);
        Assert.Equal(original.Keys.Order(), weights.Keys.Order());
        foreach (var (key, value) in original) TensorAssert.BitIdentical(value.to(TorchSharp.torch.ScalarType.BFloat16), weights[key], key);
    }

    [Fact]
    public void AnExistingOutputIsReplacedOnlyWithForce()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));
        var output = dir.File("model.safetensors");
        Assert.Equal(0, TrmProcess.Run("convert", checkpoint, output).ExitCode);
        var before = File.ReadAllBytes(output);

        var (exit, _, stderr) = TrmProcess.Run("convert", checkpoint, output, "--dtype", "bfloat16");
        Assert.Equal(2, exit);
        Assert.Contains($"{output} already exists; pass --force to replace it", stderr);
        Assert.Equal(before, File.ReadAllBytes(output));

        (exit, _, stderr) = TrmProcess.Run("convert", checkpoint, output, "--dtype", "bfloat16", "--force");
        Assert.True(exit == 0, stderr);
        Assert.True(new FileInfo(output).Length < 0.6 * before.Length);
        Assert.Equal(new[] { "model.safetensors", "ref" }, Directory.GetFileSystemEntries(dir.Path).Select(p => Path.GetFileName(p)).Order());
    }

    [Fact]
    public void BadInputsGiveAClearMessageAndWriteNothing()
    {
        using var dir = new TempDirectory();
        var checkpoint = ReferenceCheckpoint.Create(dir.File("ref"));
        var whole = File.ReadAllBytes(Path.Combine(checkpoint, ReferenceCheckpoint.StepFile));
        File.WriteAllBytes(dir.File("truncated.pt"), whole[..(whole.Length / 2)]);
        Assert.Equal(0, TrmProcess.Run("convert", checkpoint, dir.File("good.safetensors")).ExitCode);
        var bytes = File.ReadAllBytes(dir.File("good.safetensors"));
        File.WriteAllBytes(dir.File("cut.safetensors"), bytes[..(bytes.Length - 100)]);
        File.WriteAllText(dir.File("mlp.yaml"), File.ReadAllText(Path.Combine(checkpoint, "all_config.yaml")).Replace("mlp_t: false", "mlp_t: true"));
        var entriesBefore = Directory.GetFileSystemEntries(dir.Path).Order().ToList();

        (string[] Args, string[] Messages)[] cases =
        [
            (["convert", dir.File("nothing.pt"), dir.File("x.safetensors")], [$"{dir.File("nothing.pt")} not found", "Pass a checkpoint directory"]),
            (["convert", dir.File("truncated.pt"), dir.File("x.safetensors")], [$"{dir.File("truncated.pt")}: ", "truncated"]),
            (["convert", dir.File("cut.safetensors"), dir.File("x.pt")], [$"{dir.File("cut.safetensors")}: ", "truncated"]),
            (["convert", Path.Combine(checkpoint, ReferenceCheckpoint.StepFile), dir.File("x.safetensors"), "--config", dir.File("mlp.yaml")],
                ["does not fit this model configuration", "unexpected keys: model.inner.L_level.layers.0.self_attn"]),
            (["convert", checkpoint, dir.File("x.safetensors"), "--dtype", "float8"], ["--dtype float8: choose float32 or bfloat16"]),
            (["convert", checkpoint, dir.File("x.safetensors"), "--compiled-prefix"], ["--compiled-prefix writes the paper's _orig_mod. keys into a .pt file"]),
            (["convert", checkpoint, dir.File("x.safetensors"), "--ema"], [$"{Path.Combine(checkpoint, "ema.pt")} not found"]),
            (["convert", dir.File("good.safetensors"), dir.File("x.pt"), "--ema"], ["--ema and --weights pick a file inside a checkpoint directory"]),
            (["convert", checkpoint, checkpoint, "--force"], ["is the input"]),
        ];
        foreach (var (args, messages) in cases)
        {
            var (exit, stdout, stderr) = TrmProcess.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}\n{stdout}{stderr}");
            Assert.StartsWith("error: ", stderr);
            Assert.All(messages, m => Assert.True(stderr.Contains(m), $"{string.Join(' ', args)}: {stderr}"));
            Assert.Equal(entriesBefore, Directory.GetFileSystemEntries(dir.Path).Order());   // nothing written, no temporary left
        }
    }
}
