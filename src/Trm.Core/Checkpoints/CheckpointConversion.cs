using Trm.Configuration;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Checkpoints;

/// <summary>The three ways weights are stored: a checkpoint directory (<c>all_config.yaml</c> + weights), a PyTorch state dict, safetensors.</summary>
public enum WeightsFormat { Directory, PyTorch, Safetensors }

/// <summary>What <c>trm convert</c> is asked.</summary>
/// <param name="Config">An <c>all_config.yaml</c> for an input file that has none (a <c>.pt</c>, or safetensors without <c>trm_config</c> metadata).</param>
/// <param name="Ema">From a checkpoint directory, take <c>ema.pt</c>; <paramref name="Weights"/>: take this file instead.</param>
/// <param name="Dtype"><c>float32</c> or <c>bfloat16</c>: cast the floating-point tensors; null keeps them.</param>
/// <param name="CompiledPrefix">Write a <c>.pt</c> with <c>_orig_mod.</c> keys, as the paper's trainer saves.</param>
public sealed record ConversionRequest(string Input, string Output, string? Config = null, bool Ema = false, string? Weights = null,
    string? Dtype = null, bool CompiledPrefix = false, bool Force = false);

/// <summary>What was written: the weights read, the output and its format, tensor and element counts, size on disk, dtypes, and whether a config went with it.</summary>
public sealed record ConversionResult(string WeightsFile, string Output, WeightsFormat Format, int Tensors, long Parameters, long Bytes,
    IReadOnlyList<string> Dtypes, bool WithConfig);

/// <summary>
/// Converts a model between a checkpoint directory (ours or the paper's), a PyTorch state dict (<c>.pt</c>, keys
/// <c>model.inner.*</c>) and safetensors (<c>.safetensors</c>, the full config YAML in the metadata under
/// <see cref="ConfigMetadataKey"/>). Formats come from the paths: a directory, <c>.pt</c>, <c>.safetensors</c>; any other
/// output is a directory. Whenever a configuration is known the weights are checked against it as loading would.
/// Everything is checked before anything is written, and every output appears complete or not at all.
/// </summary>
public static class CheckpointConversion
{
    public const string ConfigMetadataKey = "trm_config";
    public static readonly string[] Dtypes = ["float32", "bfloat16"];

    public static WeightsFormat OutputFormat(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".safetensors" => WeightsFormat.Safetensors,
        ".pt" => WeightsFormat.PyTorch,
        _ => WeightsFormat.Directory,
    };

    public static ConversionResult Run(ConversionRequest request)
    {
        var (input, output) = (Path.GetFullPath(request.Input), Path.GetFullPath(request.Output));
        var format = OutputFormat(output);
        CheckRequest(request, input, output, format);
        var (config, weightsFile) = ReadConfig(request, input);
        if (format == WeightsFormat.Directory && config is null)
            throw new TrmSettingsException(name => $"{input} carries no configuration ({(CheckpointModel.IsSafetensors(input) ? $"no '{ConfigMetadataKey}' in its metadata" : "a state dict holds weights only")}), " +
                $"and a checkpoint directory needs one. Pass {name(nameof(request.Config))} all_config.yaml (the config of the run that trained these weights).");

        var weights = CheckpointModel.ReadWeights(weightsFile);
        try
        {
            if (request.Dtype is not null) Cast(weights, request.Dtype == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32);
            if (config is not null) CheckpointModel.CheckFits(config.Arch, weights, $"{weightsFile} with {ConfigSource(request, input)}");
            long bytes = Write(format, output, weights, config, request);
            return new ConversionResult(weightsFile, output, format, weights.Count, weights.Values.Sum(t => t.numel()), bytes,
                weights.Values.Select(t => DtypeName(t.dtype)).Distinct().Order().ToList(), config is not null);
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    static void CheckRequest(ConversionRequest request, string input, string output, WeightsFormat format)
    {
        bool directory = Directory.Exists(input);
        if (!directory && !File.Exists(input))
            throw new TrmException($"{input} not found. Pass a checkpoint directory (all_config.yaml with model.pt or step_N), a .pt state dict or a .safetensors file.");
        if (!directory && (request.Ema || request.Weights is not null))
            throw new TrmSettingsException(name => $"{name(nameof(request.Ema))} and {name(nameof(request.Weights))} pick a file inside a checkpoint directory; {input} is a file.");
        if (directory && request.Config is not null)
            throw new TrmSettingsException(nameof(request.Config), $"is for a weights file; the checkpoint directory {input} has its own {CheckpointFiles.Config}");
        if (request.CompiledPrefix && format != WeightsFormat.PyTorch)
            throw new TrmSettingsException(nameof(request.CompiledPrefix), $"writes the paper's _orig_mod. keys into a .pt file; {output} is not one");
        if (request.Dtype is not null && !Dtypes.Contains(request.Dtype))
            throw new TrmSettingsException(nameof(request.Dtype), $"{request.Dtype}: choose {string.Join(" or ", Dtypes)}");
        // Before the --force check, whose message would suggest replacing it: the input (any name of it), a file of it, or a folder holding it.
        UserFile.RequireNotInput(output, CheckpointFiles.Inputs(input).Append(request.Weights).Append(request.Config), "write the conversion somewhere else");
        if (format != WeightsFormat.Directory && Directory.Exists(output))
            throw new TrmException($"{output} is a directory; name a {(format == WeightsFormat.PyTorch ? ".pt" : ".safetensors")} file to write.");
        if (format == WeightsFormat.Directory && File.Exists(output))
            throw new TrmException($"{output} is a file; a checkpoint directory is written there. End the name with .pt or .safetensors to write a file.");
        if (!request.Force && (File.Exists(output) || Directory.Exists(output)))
            throw new TrmSettingsException(name => $"{output} already exists; pass {name(nameof(request.Force))} to replace it, or choose another output.");
    }

    /// <summary>The configuration (null when the input carries none) and the weights file to read.</summary>
    static (TrainConfig? Config, string WeightsFile) ReadConfig(ConversionRequest request, string input)
    {
        if (Directory.Exists(input))
            return (CheckpointFiles.ReadConfig(input), CheckpointFiles.WeightsFile(input, request.Weights, request.Ema));
        if (request.Config is not null) return (ConfigLoader.FromYamlFile(request.Config, []), input);
        if (!CheckpointModel.IsSafetensors(input)) return (null, input);
        var metadata = SafetensorsReader.ReadHeader(input).Metadata;
        return (metadata.TryGetValue(ConfigMetadataKey, out var yaml) ? ConfigLoader.FromYaml(yaml, $"{input} (metadata '{ConfigMetadataKey}')", []) : null, input);
    }

    static string ConfigSource(ConversionRequest request, string input) =>
        Directory.Exists(input) ? Path.Combine(input, CheckpointFiles.Config) : request.Config ?? $"the config in its metadata '{ConfigMetadataKey}'";

    static void Cast(Dictionary<string, Tensor> weights, ScalarType dtype)
    {
        foreach (var (key, tensor) in weights.ToList())
        {
            if (!tensor.is_floating_point() || tensor.dtype == dtype) continue;
            weights[key] = tensor.to(dtype);
            tensor.Dispose();
        }
    }

    static long Write(WeightsFormat format, string output, Dictionary<string, Tensor> weights, TrainConfig? config, ConversionRequest request)
    {
        switch (format)
        {
            case WeightsFormat.Safetensors:
                var metadata = new Dictionary<string, string> { ["format"] = "pt" };
                if (config is not null) metadata[ConfigMetadataKey] = ConfigLoader.ToYaml(config);
                return SafetensorsWriter.Write(output, weights, metadata);
            case WeightsFormat.PyTorch:
                TorchCheckpointWriter.Write(output, weights, request.CompiledPrefix ? TorchCheckpointReader.CompiledPrefix : "");
                return new FileInfo(output).Length;
            default:
                AtomicOutput.WriteDirectory(output, temporary =>
                {
                    File.WriteAllText(Path.Combine(temporary, CheckpointFiles.Config), ConfigLoader.ToYaml(config!));
                    TorchCheckpointWriter.Write(Path.Combine(temporary, CheckpointFiles.Weights), weights);
                }, replace: request.Force);
                return Directory.EnumerateFiles(output).Sum(f => new FileInfo(f).Length);
        }
    }

    public static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32", ScalarType.BFloat16 => "bfloat16", ScalarType.Float16 => "float16", ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64", ScalarType.Int32 => "int32", ScalarType.Int16 => "int16", ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8", ScalarType.Bool => "bool", _ => dtype.ToString(),
    };
}
