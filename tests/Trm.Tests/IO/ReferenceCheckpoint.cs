using Trm.Model;
using System.Text;
using System.Text.Json.Nodes;
using Trm.Configuration;
using Trm.Data;
using Trm.Verification;

namespace Trm.Tests.IO;

/// <summary>
/// A checkpoint directory in the layout the paper's <c>pretrain.py</c> writes: <c>all_config.yaml</c> (its
/// <c>yaml.dump(config.model_dump())</c>: keys sorted, block style) beside <c>step_N</c> (<c>torch.save</c> of the
/// compiled model's state dict), built from the reference fixture: its <c>checkpoint_compiled.pt</c>, and the arch
/// fields of its manifest's <c>config</c>. Also the fixture's batch as a dataset, so <c>trm eval</c> can run it.
/// </summary>
public static class ReferenceCheckpoint
{
    public const string StepFile = "step_1234";
    public static readonly ReferenceFixture Fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);

    /// <param name="evalSaveOutputs">The run's <c>eval_save_outputs</c> (the reference's default is none).</param>
    /// <param name="fixture">Another fixture folder of <c>TestData/reference-trm</c> (another architecture); its <c>checkpoint.pt</c> when it has no compiled one.</param>
    public static string Create(string directory, IReadOnlyList<string>? evalSaveOutputs = null, ReferenceFixture? fixture = null)
    {
        fixture ??= Fixture;
        Directory.CreateDirectory(directory);
        File.Copy(File.Exists(fixture.CompiledCheckpointPath) ? fixture.CompiledCheckpointPath : fixture.CheckpointPath, Path.Combine(directory, StepFile));
        File.WriteAllText(Path.Combine(directory, "all_config.yaml"), AllConfigYaml(evalSaveOutputs ?? [], fixture));
        return directory;
    }

    /// <summary>What the reference's <c>all_config.yaml</c> holds for a Sudoku run, with the fixture's architecture.</summary>
    public static string AllConfigYaml(IReadOnlyList<string> evalSaveOutputs, ReferenceFixture? fixture = null)
    {
        fixture ??= Fixture;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Directory, "manifest.json")))!;
        var architecture = fixture.Manifest.Architecture;
        var arch = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = ReferenceNames.Of(architecture),
            ["loss"] = $"\n    loss_type: {ReferenceNames.Of(fixture.Manifest.Loss)}\n    name: losses@ACTLossHead",
        };
        if (ArchitectureFields.Keys(architecture).Contains("no_ACT_continue")) arch["no_ACT_continue"] = "true";
        foreach (var (key, value) in manifest["config"]!.AsObject())
            if (!ArchConfig.DataDerivedKeys.Contains(key) && key != "seed") arch[key] = Scalar(value!);

        var yaml = new StringBuilder("arch:\n");
        foreach (var (key, value) in arch) yaml.Append($"  {key}:{(value.StartsWith('\n') ? "" : " ")}{value}\n");
        yaml.Append("""
            beta1: 0.9
            beta2: 0.95
            checkpoint_every_eval: true
            checkpoint_path: checkpoints/Sudoku-extreme-1k-aug-1000-ACT-torch/pretrain_att_sudoku
            data_paths:
            - data/sudoku-extreme-1k-aug-1000
            data_paths_test: []

            """);
        yaml.Append("ema: true\nema_rate: 0.999\nepochs: 50000\neval_interval: 5000\n");
        yaml.Append(evalSaveOutputs.Count == 0 ? "eval_save_outputs: []\n" : "eval_save_outputs:\n" + string.Concat(evalSaveOutputs.Select(o => $"- {o}\n")));
        yaml.Append("""
            evaluators: []
            freeze_weights: false
            global_batch_size: 768
            load_checkpoint: null
            lr: 0.0001
            lr_min_ratio: 1.0
            lr_warmup_steps: 2000
            min_eval_interval: 0
            project_name: Sudoku-extreme-1k-aug-1000-ACT-torch
            puzzle_emb_lr: 0.0001
            puzzle_emb_weight_decay: 1.0
            run_name: pretrain_att_sudoku
            seed: 0
            weight_decay: 1.0

            """);
        return yaml.ToString();
    }

    // A manifest value as PyYAML writes it: true/false, numbers as they are, plain strings.
    static string Scalar(JsonNode value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        _ => value.ToString(),
    };

    /// <summary>The fixture's batch as a test split (one puzzle per example, labels -100 stored as the ignore id 0).</summary>
    public static string Dataset(string directory)
    {
        var config = Fixture.Manifest.Config;
        var inputs = Fixture.Get("batch.inputs").to(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
        var labels = Fixture.Get("batch.labels").to(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
        var ids = Fixture.Get("batch.puzzle_identifiers").to(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
        using var writer = new DatasetWriter(directory);
        var split = writer.BeginSplit("test", new DatasetMetadata
        {
            VocabSize = config.VocabSize, SeqLen = config.SeqLen, IgnoreLabelId = 0, NumPuzzleIdentifiers = config.NumPuzzleIdentifiers,
        });
        for (int row = 0; row < ids.Length; row++)
        {
            var slice = Enumerable.Range(row * config.SeqLen, config.SeqLen);
            split.AddExample(slice.Select(i => (byte)inputs[i]).ToArray(), slice.Select(i => labels[i] < 0 ? (byte)0 : (byte)labels[i]).ToArray());
            split.EndPuzzle((int)ids[row]);
            split.EndGroup();
        }
        writer.Commit();
        return directory;
    }
}
