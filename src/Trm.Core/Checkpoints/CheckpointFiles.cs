using System.Text.Json;
using Trm.Configuration;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Checkpoints;

/// <summary>
/// A checkpoint directory, written atomically (temporary sibling, then rename):
/// <list type="bullet">
/// <item><c>all_config.yaml</c>: the full run configuration (architecture included);</item>
/// <item><c>model.pt</c>: the trained weights, keys <c>model.inner.*</c>;</item>
/// <item><c>ema.pt</c>: the EMA weights, when EMA is on;</item>
/// <item><c>step_N</c>: what the paper's <c>pretrain.py</c> saves and loads (EMA weights when EMA is on), keys <c>_orig_mod.model.inner.*</c>;</item>
/// <item><c>optimizer.pt</c>, <c>carry.pt</c>, <c>trainer_state.json</c>: what an exact resume needs.</item>
/// </list>
/// </summary>
public static class CheckpointFiles
{
    public const string Config = "all_config.yaml", Weights = "model.pt", EmaWeights = "ema.pt",
        Optimizer = "optimizer.pt", Carry = "carry.pt", State = "trainer_state.json";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record Contents(TrainConfig Config, IReadOnlyDictionary<string, Tensor> Weights,
        IReadOnlyDictionary<string, Tensor>? EmaWeights, IReadOnlyDictionary<string, Tensor> OptimizerState,
        ActCarry? Carry, TrainerState State);

    public static void Write(string directory, Contents contents)
    {
        AtomicOutput.WriteDirectory(directory, temporary =>
        {
            File.WriteAllText(Path.Combine(temporary, Config), ConfigLoader.ToYaml(contents.Config));
            TorchCheckpointWriter.Write(Path.Combine(temporary, Weights), contents.Weights);
            if (contents.EmaWeights is not null) TorchCheckpointWriter.Write(Path.Combine(temporary, EmaWeights), contents.EmaWeights);
            TorchCheckpointWriter.Write(Path.Combine(temporary, $"step_{contents.State.Step}"), contents.EmaWeights ?? contents.Weights, TorchCheckpointReader.CompiledPrefix);
            TorchCheckpointWriter.Write(Path.Combine(temporary, Optimizer), contents.OptimizerState);
            if (contents.Carry is { } carry) TorchCheckpointWriter.Write(Path.Combine(temporary, Carry), CarryTensors(carry));
            File.WriteAllText(Path.Combine(temporary, State), JsonSerializer.Serialize(contents.State with { HasCarry = contents.Carry is not null }, Indented));
        }, replace: true);
    }

    /// <summary>Reads the configuration of a checkpoint directory; errors say what a checkpoint holds.</summary>
    public static TrainConfig ReadConfig(string directory, IEnumerable<string>? overrides = null)
    {
        RequireDirectory(directory);
        return ConfigLoader.FromYamlFile(Path.Combine(directory, Config), overrides ?? []);
    }

    public static TrainerState ReadState(string directory)
    {
        RequireDirectory(directory);
        return JsonFile.Read<TrainerState>(Path.Combine(directory, State), "a trainer state",
            "this checkpoint has no resume state; it was not written by the trainer (evaluate it, or start a run from it with load_checkpoint).");
    }

    /// <summary>The sequence length a checkpoint of ours was trained on (its trainer state); 0 when the directory does not say.</summary>
    public static int TrainedSeqLen(string directory) => File.Exists(Path.Combine(directory, State)) ? ReadState(directory).SeqLen : 0;

    public static Dictionary<string, Tensor> ReadTensors(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new TrmException($"{path} not found: the checkpoint directory is incomplete; use another checkpoint.");
        return TorchCheckpointReader.ReadStateDict(path);
    }

    /// <summary>
    /// The ACT carry of a checkpoint, checked against <paramref name="model"/> before any of it is used: every tensor present with
    /// the shape and dtype of the model's own carry of <paramref name="slots"/> slots, and the values the next step indexes with
    /// (tokens, labels, puzzle identifiers) or counts (steps) inside the model's ranges.
    /// </summary>
    public static ActCarry ReadCarry(string directory, ActLossHead model, long slots, Device device)
    {
        var t = ReadTensors(directory, Carry);
        var latents = model.Model.Inner.Latents;
        string[] keys = [.. latents, "steps", "halted", "inputs", "labels", "puzzle_identifiers"];
        try
        {
            var problems = CarryProblems(t, model, slots);
            if (problems.Count > 0)
                throw new TrmException($"{Path.Combine(directory, Carry)}: {string.Join("; ", problems)}. The carry does not fit this model; resume with the run's own config and global_batch_size.");
            if (device.type != TorchSharp.DeviceType.CPU)
                foreach (var key in keys)
                {
                    using var read = t[key];
                    t[key] = read.to(device);
                }
        }
        catch
        {
            foreach (var tensor in t.Values) tensor.Dispose();
            throw;
        }
        foreach (var (key, unused) in t)
            if (!keys.Contains(key)) unused.Dispose();
        return new ActCarry(new InnerCarry(latents, latents.Select(name => t[name]).ToArray()), t["steps"], t["halted"], new TrmBatch(t["inputs"], t["labels"], t["puzzle_identifiers"]));
    }

    static List<string> CarryProblems(IReadOnlyDictionary<string, Tensor> saved, ActLossHead model, long slots)
    {
        using var scope = NewDisposeScope();
        var config = model.Config;
        var empty = model.Model.Inner.EmptyCarry(0, CPU);   // (0, T, D) of the model's dtype: the shape and dtype its latents have
        var expected = empty.Names.Zip(empty.States, (name, state) => (Key: name, Shape: (long[])[slots, .. state.shape[1..]], Dtype: state.dtype)).ToList();
        expected.AddRange([("steps", [slots], ScalarType.Int32), ("halted", [slots], ScalarType.Bool), ("inputs", [slots, config.SeqLen], ScalarType.Int32),
            ("labels", [slots, config.SeqLen], ScalarType.Int32), ("puzzle_identifiers", [slots], ScalarType.Int32)]);
        var problems = new List<string>();
        foreach (var (key, shape, dtype) in expected)
        {
            if (!saved.TryGetValue(key, out var tensor)) problems.Add($"'{key}' is missing");
            else if (!tensor.shape.SequenceEqual(shape) || tensor.dtype != dtype)
                problems.Add($"'{key}' is {tensor.dtype} {DeclaredShape.Text(tensor.shape)}, the model's carry needs {dtype} {DeclaredShape.Text(shape)}");
        }
        if (problems.Count > 0 || slots == 0) return problems;
        void Range(string key, long low, long high, string what, Tensor? allowed = null)
        {
            var values = saved[key].to(ScalarType.Int64);
            var outside = (values < low) | (values >= high);
            if (allowed is not null) outside &= values != allowed;
            if (outside.any().item<bool>()) problems.Add($"'{key}' holds {what} outside [{low}, {high}) (from {values.min().item<long>()} to {values.max().item<long>()})");
        }
        Range("inputs", 0, config.VocabSize, "tokens");
        Range("labels", 0, config.VocabSize, "labels", tensor(ActLossHead.IgnoreLabelId));
        Range("puzzle_identifiers", 0, config.NumPuzzleIdentifiers, "identifiers");
        Range("steps", 0, config.HaltMaxSteps + 1L, "step counts");
        return problems;
    }

    /// <summary>
    /// The weights to use from a checkpoint directory: <paramref name="explicitFile"/> if given, <c>ema.pt</c> with
    /// <paramref name="ema"/>, else <c>model.pt</c>, else the reference's latest <c>step_N</c>. Errors call the two settings
    /// <c>Weights</c> and <c>Ema</c>, as the requests that carry them do.
    /// </summary>
    public static string WeightsFile(string directory, string? explicitFile, bool ema)
    {
        if (explicitFile is not null) return File.Exists(explicitFile) ? explicitFile : throw new TrmSettingsException("Weights", $"{explicitFile}: file not found");
        if (ema)
        {
            var averaged = Path.Combine(directory, EmaWeights);
            return File.Exists(averaged) ? averaged : throw new TrmSettingsException(name => $"{averaged} not found: this run was trained without EMA (ema: false); leave out {name("Ema")}.");
        }
        var ours = Path.Combine(directory, Weights);
        if (File.Exists(ours)) return ours;
        var reference = Directory.GetFiles(directory, "step_*")
            .Select(f => (File: f, Step: long.TryParse(Path.GetFileName(f)["step_".Length..], out var s) ? s : -1))
            .Where(f => f.Step >= 0).OrderBy(f => f.Step).LastOrDefault().File;
        return reference ?? throw new TrmSettingsException(name => $"{directory}: no weights found ({Weights} or the reference's step_N); name the weights file with {name("Weights")}.");
    }

    /// <summary>A checkpoint directory and the files in it: what an output must not replace (<see cref="UserFile.RequireNotInput"/>).</summary>
    public static IEnumerable<string> Inputs(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Prepend(directory) : [directory];

    static Dictionary<string, Tensor> CarryTensors(ActCarry carry) => new(carry.Inner.Names.Zip(carry.Inner.States).Select(l => KeyValuePair.Create(l.First, l.Second)))
    {
        ["steps"] = carry.Steps, ["halted"] = carry.Halted,
        ["inputs"] = carry.CurrentData.Inputs, ["labels"] = carry.CurrentData.Labels, ["puzzle_identifiers"] = carry.CurrentData.PuzzleIdentifiers,
    };

    static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new TrmException($"{directory}: checkpoint directory not found. Pass a folder written by the trainer (it holds {Config} and {Weights}).");
    }
}
