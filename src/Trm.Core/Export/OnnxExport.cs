using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.Configuration;
using Trm.IO;
using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Export;

/// <param name="Checkpoint">A checkpoint directory (ours, or the reference's all_config.yaml + step_N).</param>
/// <param name="Output">The .onnx file to write.</param>
/// <param name="Ema">Export the EMA weights (ema.pt).</param>
/// <param name="Weights">Export this weights file instead of the directory's own.</param>
/// <param name="SeqLen">The puzzles' length, for a checkpoint that does not record it (rope or no positions, no trainer state).</param>
/// <param name="Force">Replace an existing output.</param>
public sealed record OnnxExportRequest(string Checkpoint, string Output, bool Ema = false, string? Weights = null, int? SeqLen = null, bool Force = false);

/// <summary>What was exported: the weights read, the file written and its graph; each latent is (B, <see cref="LatentLength"/>, <see cref="HiddenSize"/>).</summary>
public sealed record OnnxExportResult(string WeightsFile, string Output, Architecture Architecture, IReadOnlyList<string> Latents,
    int LatentLength, int HiddenSize, int SeqLen, int VocabSize, int NumPuzzleIdentifiers, ForwardDtype TrainedDtype, int Nodes, long Bytes);

/// <summary>
/// <c>trm export onnx</c>: one supervision step of a trained model as an ONNX file (opset <see cref="Opset"/>, float32,
/// dynamic batch, weights and the puzzle-embedding table inside, the configuration in its metadata), written by
/// <see cref="OnnxStepGraph"/> under the names of <see cref="OnnxContract"/>. Every architecture and option exports; what
/// cannot is refused by name before anything is written (<see cref="RequireExportable"/>).
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;

    /// <summary>A protobuf message holds at most 2 GiB; the weights go inside the file (no external data), with room for the graph.</summary>
    public const long MaxWeightBytes = (1L << 31) - (64L << 20);

    public static OnnxExportResult Run(OnnxExportRequest request)
    {
        var (checkpoint, output) = (Path.GetFullPath(request.Checkpoint), Path.GetFullPath(request.Output));
        if (!Directory.Exists(checkpoint))
            throw new TrmException($"{checkpoint} is not a checkpoint directory; pass one that holds all_config.yaml with model.pt or step_N.");
        if (request.SeqLen is < 1)
            throw new TrmSettingsException(nameof(request.SeqLen), $"must be at least 1 (is {request.SeqLen})");
        var config = CheckpointFiles.ReadConfig(checkpoint);
        var weightsFile = Path.GetFullPath(CheckpointFiles.WeightsFile(checkpoint, request.Weights, request.Ema));
        if (output == checkpoint || output == weightsFile || Path.GetDirectoryName(output) == checkpoint && IsCheckpointFile(Path.GetFileName(output)))
            throw new TrmException($"{output} is the checkpoint's own; write the export somewhere else.");
        if (!request.Force) AtomicOutput.RequireAbsent(output, "remove it, choose another name, or replace it with --force");

        var weights = CheckpointModel.ReadWeights(weightsFile);
        try
        {
            // The trained length, from the weights (learned positions, mlp_t) or the trainer state; else only the caller knows it.
            var layout = CheckpointModel.LayoutOf(config.Arch, weights, weightsFile, CheckpointFiles.TrainedSeqLen(checkpoint));
            if (layout.SeqLen > 0 && request.SeqLen is int asked && asked != layout.SeqLen)
                throw new TrmSettingsException(nameof(request.SeqLen), $"is {asked}, but {weightsFile} was trained on puzzles of {layout.SeqLen} tokens; leave it out");
            if (layout.SeqLen == 0)
                layout = layout with
                {
                    SeqLen = request.SeqLen ?? throw new TrmSettingsException(name => $"{checkpoint} does not record the length of the puzzles its model was trained on " +
                        $"(no {CheckpointFiles.State}; {ReferenceNames.Of(config.Arch.Model.PosEncodings)} positions fit any length), and an exported graph has one; " +
                        $"pass {name(nameof(request.SeqLen))} N."),
                };
            var modelConfig = config.Arch.ModelFor(layout.SeqLen, layout.VocabSize, layout.NumPuzzleIdentifiers);
            CheckpointModel.CheckFits(config.Arch, weights, weightsFile);   // a configuration that does not fit the weights is named as such first
            RequireExportable(modelConfig);
            using var model = CheckpointModel.Load(config.Arch, layout, weights, weightsFile, CPU);
            var source = Path.Combine(Path.GetFileName(Path.GetDirectoryName(weightsFile)!), Path.GetFileName(weightsFile));
            var (nodes, bytes) = Write(model.Model.Inner, output, config.DataPaths, source);
            return new OnnxExportResult(weightsFile, output, modelConfig.Architecture, model.Model.Inner.Latents, modelConfig.TotalSeqLen, modelConfig.HiddenSize,
                layout.SeqLen, layout.VocabSize, layout.NumPuzzleIdentifiers, modelConfig.ForwardDtype, nodes, bytes);
        }
        finally
        {
            foreach (var tensor in weights.Values) tensor.Dispose();
        }
    }

    // A file a checkpoint directory holds or is read from (a step_N is taken as its weights).
    static bool IsCheckpointFile(string name) => name.StartsWith("step_", StringComparison.Ordinal) || name is CheckpointFiles.Config
        or CheckpointFiles.Weights or CheckpointFiles.EmaWeights or CheckpointFiles.Optimizer or CheckpointFiles.Carry or CheckpointFiles.State;

    /// <summary>
    /// Refuses, naming the field, a model whose step cannot be one ONNX file: weights beyond protobuf's 2 GiB (a large
    /// puzzle-embedding table, usually). Every architecture, positional encoding, mlp_t and forward dtype exports (a
    /// bfloat16 or float16 model as float32: docs/onnx.md).
    /// </summary>
    public static void RequireExportable(TrmConfig config)
    {
        long values = config.StateValues();
        if (values > MaxWeightBytes / sizeof(float))
            throw new TrmException($"the model holds {(values == long.MaxValue ? "more than 9.2e18" : $"{values:N0}")} values, {values * (double)sizeof(float) / 1e9:#,0.0} GB in float32 " +
                $"({config.DescribeSize()}), and an ONNX file holds at most 2 GB: ONNX's protobuf limit, and this exporter writes no external-data files. " +
                "A large num_puzzle_identifiers (one puzzle-embedding row per puzzle) is the usual cause; it cannot be exported.");
    }

    /// <summary>
    /// Writes the step of <paramref name="inner"/> to <paramref name="path"/> atomically (whole or not at all).
    /// Returns the graph's node count and the file's size.
    /// </summary>
    /// <param name="dataPaths">The datasets it was trained on, for the metadata.</param>
    /// <param name="source">The weights file named in the metadata.</param>
    public static (int Nodes, long Bytes) Write(InnerModel inner, string path, IReadOnlyList<string> dataPaths, string source)
    {
        RequireExportable(inner.Config);
        using var noGrad = no_grad();
        var graph = OnnxStepGraph.Write(inner);
        var version = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var model = graph.ToModel($"{ArchitectureNames.Short(inner.Config.Architecture)}_step", Opset, "TRM.NET", version, Metadata(inner, dataPaths, source));
        AtomicOutput.WriteFile(path, temporary =>
        {
            using var file = File.Create(temporary);
            model.CopyTo(file);
        });
        return (graph.NodeCount, model.Length);
    }

    static IEnumerable<KeyValuePair<string, string>> Metadata(InnerModel inner, IReadOnlyList<string> dataPaths, string source)
    {
        var config = inner.Config;
        var fields = new JsonObject { ["name"] = ReferenceNames.Of(config.Architecture) };
        foreach (var (key, value) in ArchitectureFields.Write(config)) fields[key] = value?.DeepClone();
        fields["seq_len"] = config.SeqLen;
        fields["vocab_size"] = config.VocabSize;
        fields["num_puzzle_identifiers"] = config.NumPuzzleIdentifiers;
        return new Dictionary<string, string>
        {
            [OnnxContract.Keys.ContractVersion] = OnnxContract.Version.ToString(),
            [OnnxContract.Keys.Architecture] = ArchitectureNames.Short(config.Architecture),
            [OnnxContract.Keys.Latents] = string.Join(",", inner.Latents),
            [OnnxContract.Keys.SeqLen] = config.SeqLen.ToString(),
            [OnnxContract.Keys.VocabSize] = config.VocabSize.ToString(),
            [OnnxContract.Keys.NumPuzzleIdentifiers] = config.NumPuzzleIdentifiers.ToString(),
            [OnnxContract.Keys.PuzzleEmbLen] = config.EffectivePuzzleEmbLen.ToString(),
            [OnnxContract.Keys.HiddenSize] = config.HiddenSize.ToString(),
            [OnnxContract.Keys.HaltMaxSteps] = config.HaltMaxSteps.ToString(),
            [OnnxContract.Keys.NoActContinue] = config.NoActContinue ? "true" : "false",
            [OnnxContract.Keys.TrainedForwardDtype] = ReferenceNames.Of(config.ForwardDtype),
            [OnnxContract.Keys.Config] = fields.ToJsonString(),
            [OnnxContract.Keys.DataPaths] = JsonSerializer.Serialize(dataPaths),
            [OnnxContract.Keys.Weights] = source,
        };
    }
}
