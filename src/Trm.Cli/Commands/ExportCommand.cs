using System.CommandLine;
using Trm.Export;
using Trm.Model;

namespace Trm.Cli.Commands;

/// <summary><c>trm export onnx CHECKPOINT OUT.onnx</c>: one supervision step of a trained model as an ONNX graph (docs/onnx.md).</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export a trained model to a format other runtimes load.");
        command.Subcommands.Add(Onnx());
        return command;
    }

    static Command Onnx()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory (ours, or the reference's all_config.yaml + step_N)" };
        var output = new Argument<string>("output") { Description = "The .onnx file to write" };
        var ema = new Option<bool>("--ema") { Description = "Export the EMA weights (ema.pt)" };
        var weights = new Option<FileInfo?>("--weights") { Description = "Export this weights file instead of the directory's own (.pt, step_N or .safetensors)" };
        var seqLen = new Option<int?>("--seq-len") { Description = "The puzzles' length, for a checkpoint that does not record it (the reference's, with rope or no positions)" }.Within("SeqLen");
        var force = new Option<bool>("--force") { Description = "Replace an existing output" };
        var flags = CommandRunner.Flags((nameof(OnnxExportRequest.Ema), ema), (nameof(OnnxExportRequest.Weights), weights),
            (nameof(OnnxExportRequest.SeqLen), seqLen), (nameof(OnnxExportRequest.Force), force));
        var command = new Command("onnx", "Write one supervision step (latents in and out, logits, Q logits) as an ONNX graph, opset 17, float32, any batch size.")
        {
            checkpoint, output, ema, weights, seqLen, force,
        };
        command.SetAction(parse => CommandRunner.Run(() => Execute(new OnnxExportRequest(parse.GetValue(checkpoint)!, parse.GetValue(output)!,
            parse.GetValue(ema), parse.GetValue(weights)?.FullName, parse.GetValue(seqLen), parse.GetValue(force)), Console.Out), flags));
        return command;
    }

    public static int Execute(OnnxExportRequest request, TextWriter output)
    {
        var result = OnnxExport.Run(request);
        var latents = string.Join(", ", result.Latents);
        output.WriteLine($"read  {result.WeightsFile}");
        output.WriteLine($"wrote {result.Output} (ONNX opset {OnnxExport.Opset}, float32, {ArchitectureNames.Short(result.Architecture)}, {result.Nodes:N0} nodes, {Size(result.Bytes)})");
        output.WriteLine($"  inputs : {latents} (B, {result.LatentLength}, {result.HiddenSize}) float32, {OnnxContract.Reset} (B) bool, " +
            $"{OnnxContract.Inputs} (B, {result.SeqLen}) int32, {OnnxContract.PuzzleIdentifiers} (B) int32 below {result.NumPuzzleIdentifiers}");
        output.WriteLine($"  outputs: {string.Join(", ", result.Latents.Select(OnnxContract.Next))}, {OnnxContract.Logits} (B, {result.SeqLen}, {result.VocabSize}), " +
            $"{OnnxContract.QHaltLogits} (B), {OnnxContract.QContinueLogits} (B)");
        if (result.TrainedDtype != ForwardDtype.Float32)
            output.WriteLine($"note: the model computes in {ReferenceNames.Of(result.TrainedDtype)}; the graph computes in float32, so an answer near a tie can differ " +
                "from the checkpoint's (docs/onnx.md).");
        return 0;
    }

    static string Size(long bytes) => bytes < 1_000_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes / 1e6:F1} MB";
}
