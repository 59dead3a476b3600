using System.CommandLine;
using System.Diagnostics;
using Trm.Evaluation;
using Trm.Solving;

namespace Trm.Cli.Commands;

/// <summary><c>trm eval --checkpoint DIR</c>: score a saved model on a test split with the architecture it was trained with.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "Checkpoint directory (ours, or the reference's with all_config.yaml beside step_N)", Required = true };
        var weights = new Option<FileInfo?>("--weights") { Description = "Weights file to use instead of the directory's model.pt / latest step_N" };
        var data = new Option<string[]>("--data") { Description = "Dataset directories whose test/ split to evaluate (default: the run's)", AllowMultipleArgumentsPerToken = true };
        var ema = new Option<bool>("--ema") { Description = "Evaluate the EMA weights (ema.pt)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Examples per batch (default: the run's global_batch_size)" }.Within("BatchSize");
        var force = new Option<bool>("--force") { Description = "Accept arch.key=value settings that contradict the checkpoint" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where evaluators write files such as submission.json (default: DIR/evaluation)" };
        var adaptive = new Option<bool>("--adaptive") { Description = "Stop each example at the first step whose halting probability sigmoid(q_halt) exceeds --halt-threshold (as trm solve does), finished examples handing their slot to waiting ones" };
        var haltThreshold = new Option<double>("--halt-threshold") { Description = "With --adaptive: stop when sigmoid(q_halt) exceeds this (0.5 is the reference's q_halt > 0)", DefaultValueFactory = _ => Trm.Model.HaltingPolicy.DefaultThreshold }.Within("HaltThreshold");
        var maxSteps = new Option<int?>("--max-steps") { Description = "Supervision steps at most (default: the model's halt_max_steps)" }.Within("MaxSteps");
        var overrides = new Argument<string[]>("arch-overrides") { Description = "arch.key=value settings (refused when they contradict the checkpoint, unless --force)", Arity = ArgumentArity.ZeroOrMore };
        var flags = CommandRunner.Flags((nameof(CheckpointEvaluationRequest.Weights), weights), (nameof(CheckpointEvaluationRequest.Data), data),
            (nameof(CheckpointEvaluationRequest.Ema), ema), (nameof(CheckpointEvaluationRequest.Force), force), (nameof(CheckpointEvaluationRequest.ArchOverrides), overrides),
            (nameof(CheckpointEvaluationRequest.MaxSteps), maxSteps), (nameof(CheckpointEvaluationRequest.HaltThreshold), haltThreshold),
            (nameof(CheckpointEvaluationRequest.BatchSize), batchSize), (nameof(CheckpointEvaluationRequest.Adaptive), adaptive));
        var sampling = new SamplingFlags();
        var command = new Command("eval", "Evaluate a checkpoint on a test split: exact accuracy with a 95% interval, token accuracy, steps, q_halt accuracy, ARC pass@K.")
        {
            checkpoint, weights, data, ema, device, batchSize, force, output, adaptive, haltThreshold, maxSteps, overrides,
        };
        sampling.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() => Execute(new CheckpointEvaluationRequest(
            parse.GetValue(checkpoint)!.FullName, parse.GetValue(weights)?.FullName, parse.GetValue(data) ?? [], parse.GetValue(ema),
            parse.GetValue(device)!, parse.GetValue(batchSize), parse.GetValue(overrides) ?? [], parse.GetValue(force), parse.GetValue(output)?.FullName,
            parse.GetValue(adaptive), parse.GetValue(maxSteps), parse.GetValue(haltThreshold), sampling.Read(parse)), Console.Out),
            new Dictionary<string, string>(flags.Concat(sampling.Flags))));
        return command;
    }

    public static int Execute(CheckpointEvaluationRequest request, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var (report, weightsFile, config) = CheckpointEvaluation.Run(request, message => output.WriteLine($"warning: {message}"), ProgressDisplay.ForConsole());
        output.WriteLine($"evaluated {weightsFile} ({(config.Arch.Model.MlpT ? "mlp_t" : "attention")}, H_cycles {config.Arch.Model.HCycles}, " +
            $"L_cycles {config.Arch.Model.LCycles}, halt_max_steps {config.Arch.Model.HaltMaxSteps}) in {clock.Elapsed.TotalSeconds:F1} s, " +
            (request.Adaptive ? $"adaptive halting (threshold {request.HaltThreshold}), at most {request.MaxSteps ?? config.Arch.Model.HaltMaxSteps} steps" : $"{request.MaxSteps ?? config.Arch.Model.HaltMaxSteps} steps each") +
            (request.Sampling is { } k ? $", {k.Trajectories} trajectories with noise {k.Noise} on {Trm.Model.LatentNoise.Name(k.NoiseOn)}, chosen by {Sampling.Name(k.Select)}:" : ":"));
        EvaluationTable.Write(output, report.Sets, report.EvaluatorMetrics);
        return 0;
    }
}
