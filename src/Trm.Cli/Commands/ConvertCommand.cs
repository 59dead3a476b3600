using System.CommandLine;
using Trm.IO;
using Trm.Training;
using Trm.Checkpoints;

namespace Trm.Cli.Commands;

/// <summary><c>trm convert INPUT OUTPUT</c>: move a model between checkpoint directories, PyTorch state dicts and safetensors.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A checkpoint directory (ours, or the reference's all_config.yaml + step_N), a .pt state dict or a .safetensors file" };
        var output = new Argument<string>("output") { Description = "What to write: NAME.safetensors, NAME.pt, or any other name for a checkpoint directory (all_config.yaml + model.pt)" };
        var config = new Option<FileInfo?>("--config") { Description = "all_config.yaml to go with a weights file that carries none (a .pt, or safetensors without trm_config)" };
        var ema = new Option<bool>("--ema") { Description = "From a checkpoint directory, convert the EMA weights (ema.pt)" };
        var weights = new Option<FileInfo?>("--weights") { Description = "From a checkpoint directory, convert this weights file instead of model.pt / the latest step_N" };
        var dtype = new Option<string?>("--dtype") { Description = "Cast floating-point tensors to float32 or bfloat16 (default: keep them)" };
        var compiled = new Option<bool>("--compiled-prefix") { Description = "Write .pt keys with the _orig_mod. prefix the paper's trainer saves (step_N files)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing output" };
        var flags = CommandRunner.Flags((nameof(ConversionRequest.Config), config), (nameof(ConversionRequest.Ema), ema), (nameof(ConversionRequest.Weights), weights),
            (nameof(ConversionRequest.Dtype), dtype), (nameof(ConversionRequest.CompiledPrefix), compiled), (nameof(ConversionRequest.Force), force));
        var command = new Command("convert", "Convert a model between a checkpoint directory, a PyTorch state dict (.pt) and safetensors (.safetensors).")
        {
            input, output, config, ema, weights, dtype, compiled, force,
        };
        command.SetAction(parse => CommandRunner.Run(() => Execute(new ConversionRequest(parse.GetValue(input)!, parse.GetValue(output)!,
            parse.GetValue(config)?.FullName, parse.GetValue(ema), parse.GetValue(weights)?.FullName, parse.GetValue(dtype),
            parse.GetValue(compiled), parse.GetValue(force)), Console.Out), flags));
        return command;
    }

    public static int Execute(ConversionRequest request, TextWriter output)
    {
        var result = CheckpointConversion.Run(request);
        var what = result.Format switch
        {
            WeightsFormat.Safetensors => result.WithConfig ? $"safetensors, config in metadata '{CheckpointConversion.ConfigMetadataKey}'"
                : "safetensors, no config: pass --config when converting it to a checkpoint directory",
            WeightsFormat.PyTorch => $"PyTorch state dict, keys {(request.CompiledPrefix ? TorchCheckpointReader.CompiledPrefix : "")}model.inner.*",
            _ => $"checkpoint directory: {CheckpointFiles.Config}, {CheckpointFiles.Weights}",
        };
        output.WriteLine($"read  {result.WeightsFile}");
        output.WriteLine($"wrote {result.Output} ({what}):");
        output.WriteLine($"  {result.Tensors} tensors, {result.Parameters:N0} parameters, {string.Join(" + ", result.Dtypes)}, {Size(result.Bytes)}");
        return 0;
    }

    static string Size(long bytes) => bytes switch
    {
        < 1_000_000 => $"{bytes / 1e3:F1} kB",
        < 1_000_000_000 => $"{bytes / 1e6:F1} MB",
        _ => $"{bytes / 1e9:F2} GB",
    };
}
