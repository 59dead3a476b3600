using System.CommandLine;
using Trm.Verification;
using Trm.Model;

namespace Trm.Cli.Commands;

/// <summary><c>trm verify-reference DIR</c>: replays a PyTorch fixture folder of any architecture and prints PASS or FAIL.</summary>
public static class VerifyReferenceCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir")
        {
            Description = "Fixture folder with manifest.json, checkpoint.pt, checkpoint_compiled.pt and vectors.npz",
        };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var command = new Command("verify-reference",
            "Prove parity with the paper's PyTorch code: load the fixture's checkpoint, replay its evaluation and training steps, compare every array.")
        {
            directory,
            device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
            Execute(parse.GetValue(directory)!.FullName, Console.Out, DeviceSelection.Parse(parse.GetValue(device)!))));
        return command;
    }

    public static int Execute(string directory, TextWriter output, TorchSharp.torch.Device? device = null)
    {
        var fixture = ReferenceFixture.Load(directory);
        var config = fixture.Manifest.Config;
        var fields = ArchitectureFields.Write(config);
        var shape = string.Join(", ", new[] { "H_cycles", "L_cycles", "H_layers", "L_layers" }.Where(fields.ContainsKey).Select(key => $"{key} {fields[key]}"));
        output.WriteLine($"Fixture {fixture.Manifest.Name}: {ArchitectureNames.Describe(config.Architecture)}, hidden {config.HiddenSize}, " +
            $"{(config.MlpT ? "mlp_t" : $"{config.NumHeads}-head attention")}, pos {ReferenceNames.Of(config.PosEncodings)}, {shape}, {ReferenceNames.Of(config.ForwardDtype)}");
        output.WriteLine(fixture.Manifest.ReferenceSpread is null
            ? "Rule: base tolerances (the manifest records no reference spread)"
            : "Rule: relative error within max(base tolerance, 4 x reference spread); at most 2 x reference flips differing elements");
        var results = ReferenceVerifier.Run(fixture, c => output.WriteLine(c), device);
        int failed = results.Count(r => !r.Passed);
        output.WriteLine($"{results.Count} arrays compared, {failed} outside tolerance");
        output.WriteLine(failed == 0 ? "PASS" : "FAIL");
        return failed == 0 ? 0 : 1;
    }
}
