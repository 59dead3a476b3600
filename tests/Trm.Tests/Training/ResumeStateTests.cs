using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.IO;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

/// <summary>
/// Resuming checks every piece of a checkpoint's state against the model it goes into before libtorch sees it: the trainer
/// state, the generator state (libtorch aborts the process on one it cannot take), EMA, optimizer and carry shapes and dtypes.
/// Each damaged piece is a <see cref="TrmException"/> naming its file; the intact checkpoint resumes.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class ResumeStateTests
{
    static void Replace(Dictionary<string, Tensor> tensors, string key, Func<Tensor, Tensor> make)
    {
        var old = tensors[key];
        tensors[key] = make(old);
        old.Dispose();
    }

    [Fact]
    public void EachDamagedPieceIsRefusedByItsFile()
    {
        using var dir = new TempDirectory();
        var config = TinyTask.Config(TinyTask.Build(dir.File("data")), dir.File("run"), epochs: 2, evalInterval: 2);
        using (var trainer = new Trainer(config, dir.File("run"))) trainer.Run(new RecordingObserver());
        var checkpoint = Assert.Single(Directory.GetDirectories(dir.File("run"), "step_*"));

        string File(string name) => Path.Combine(dir.File("case"), name);
        var cases = new (string Name, Action<string> Damage, string Expected)[]
        {
            ("cuda generator", c => CheckpointEdits.EditState(c, s => s["exploration_generator_state"] = Convert.ToBase64String(new byte[16])),
                $"{File(CheckpointFiles.State)} (exploration_generator_state): 16 bytes, but this run's CPU generator keeps"),
            ("invalid generator", c => CheckpointEdits.EditState(c, s =>
            {
                var bytes = Convert.FromBase64String(s["exploration_generator_state"]!.GetValue<string>());
                BitConverter.GetBytes(0).CopyTo(bytes, 8);   // left = 0: libtorch's "Invalid mt19937 state"
                s["exploration_generator_state"] = Convert.ToBase64String(bytes);
            }), "not a valid Mersenne Twister state (seeded 1, left 0"),
            ("not base64", c => CheckpointEdits.EditState(c, s => s["exploration_generator_state"] = "%%"), "(exploration_generator_state): not base64 text"),
            ("negative step", c => CheckpointEdits.EditState(c, s => s["step"] = -3), $"{File(CheckpointFiles.State)}: step is -3, must be in [0, total_steps"),
            ("other data", c => CheckpointEdits.EditState(c, s => s["seq_len"] = 9), "seq_len is 9, the training data's is 8"),
            ("ema shape", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.EmaWeights), t => Replace(t, t.Keys.First(), old => zeros(3, 3))),
                $"{File(CheckpointFiles.EmaWeights)}: EMA weight '"),
            ("optimizer dtype", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Optimizer), t => Replace(t, "exp_avg.0", old => old.to(ScalarType.Int64))),
                $"{File(CheckpointFiles.Optimizer)}: optimizer state 'exp_avg.0' holds Int64, not floating-point values"),
            ("optimizer shape", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Optimizer), t => Replace(t, "exp_avg_sq.1", old => zeros(2))),
                $"{File(CheckpointFiles.Optimizer)}: optimizer state 'exp_avg_sq.1' has shape [2]"),
            ("carry dtype", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Carry), t => Replace(t, "z_H", old => old.to(ScalarType.Float64))),
                $"{File(CheckpointFiles.Carry)}: 'z_H' is Float64 [32, 8, 32], the model's carry needs Float32 [32, 8, 32]"),
            ("carry slots", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Carry), t => Replace(t, "halted", old => ones(31, ScalarType.Bool))),
                "'halted' is Bool [31], the model's carry needs Bool [32]"),
            ("carry tokens", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Carry), t => Replace(t, "inputs", old => full_like(old, 99))),
                "'inputs' holds tokens outside [0, 6) (from 99 to 99)"),
            ("carry missing", c => CheckpointEdits.EditTensors(Path.Combine(c, CheckpointFiles.Carry), t => t.Remove("z_L")), "'z_L' is missing"),
        };
        foreach (var (name, damage, expected) in cases)
        {
            var copy = CheckpointEdits.Damaged(checkpoint, dir.File("case"), damage);
            var error = Assert.Throws<TrmException>(() => new Trainer(config, dir.File("resumed"), resumeFrom: copy).Dispose());
            Assert.True(error.Message.Contains(expected), $"{name}: {error.Message}");
            Directory.Delete(copy, recursive: true);
        }

        // The intact checkpoint resumes.
        using var resumed = new Trainer(config, dir.File("resumed"), resumeFrom: checkpoint);
        Assert.True(resumed.TotalSteps > 0);
    }
}
