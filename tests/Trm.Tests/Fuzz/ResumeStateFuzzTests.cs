using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.Tests.Training;
using Trm.Training;
using static TorchSharp.torch;

namespace Trm.Tests.Fuzz;

/// <summary>
/// A real checkpoint of a tiny run with one piece of its resume state changed: a field of <c>trainer_state.json</c>, the
/// generator state's bytes, or a tensor of the weights, EMA, optimizer or carry given another shape, dtype or values, or
/// removed. Each is resumed as <c>trm train --resume</c> does and trained for a step: it continues, or ends in a
/// <see cref="TrmException"/> (never in an abort inside libtorch or another exception).
/// </summary>
[Collection(nameof(SequentialTraining))]
public class ResumeStateFuzzTests
{
    static readonly string[] StateFields = ["step", "total_steps", "iteration", "batches_in_iteration", "iteration_complete",
        "exploration_generator_state", "has_carry", "seq_len", "vocab_size", "num_puzzle_identifiers"];
    static readonly string[] TensorFiles = [CheckpointFiles.Carry, CheckpointFiles.Carry, CheckpointFiles.Carry, CheckpointFiles.EmaWeights, CheckpointFiles.Optimizer, CheckpointFiles.Weights];
    static readonly ScalarType[] Dtypes = [ScalarType.Float64, ScalarType.Float32, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Int32, ScalarType.Int8, ScalarType.Bool];

    [Fact]
    public void DamagedResumeStateEndsInAMessage()
    {
        using var dir = new TempDirectory();
        var config = TinyTask.Config(TinyTask.Build(dir.File("data")), dir.File("run"), epochs: 4, evalInterval: 2);
        using (var trainer = new Trainer(config, dir.File("run"))) trainer.Run(new RecordingObserver());
        var checkpoint = Directory.GetDirectories(dir.File("run"), "step_*").Order().First();

        FuzzRunner.Run("resume state", FuzzRunner.Seeds(80), (random, directory) =>
            CheckpointEdits.Damaged(checkpoint, Path.Combine(directory, "checkpoint"), copy => Mutate(random, copy)), copy =>
        {
            var run = Path.Combine(Path.GetDirectoryName(copy)!, "resumed");
            using var cancel = new CancellationTokenSource();
            using var trainer = new Trainer(config, run, resumeFrom: copy);
            trainer.Run(new RecordingObserver(cancel, cancelAfterStep: 0), cancel.Token);
        });
    }

    static void Mutate(Random random, string checkpoint)
    {
        switch (random.Next(5))
        {
            case 0:
                var field = StateFields[random.Next(StateFields.Length)];
                CheckpointEdits.EditState(checkpoint, s => s[field] = random.Next(4) switch
                {
                    0 => null,
                    1 => JsonValue.Create(-1),
                    2 => JsonValue.Create(random.Next(2) == 0),
                    _ => JsonValue.Create(Mutations.Number(random)),
                });
                break;
            case 1:   // the generator's bytes: another length, or its header words (seed, left, seeded, next) changed
                CheckpointEdits.EditState(checkpoint, s =>
                {
                    var bytes = Convert.FromBase64String(s["exploration_generator_state"]!.GetValue<string>());
                    if (random.Next(3) == 0) Array.Resize(ref bytes, random.Next(3) switch { 0 => 16, 1 => random.Next(0, 64), _ => bytes.Length + random.Next(-8, 9) });
                    else BitConverter.GetBytes(Mutations.Number(random)).AsSpan(0, 4).CopyTo(bytes.AsSpan(8 + 4 * random.Next(4)));
                    s["exploration_generator_state"] = Convert.ToBase64String(bytes);
                });
                break;
            default:
                var file = Path.Combine(checkpoint, TensorFiles[random.Next(TensorFiles.Length)]);
                CheckpointEdits.EditTensors(file, tensors =>
                {
                    // In the carry, the batch data the next step embeds half the time.
                    string[] data = ["inputs", "labels", "steps", "puzzle_identifiers"];
                    var key = file.EndsWith(CheckpointFiles.Carry) && random.Next(2) == 0 && data[random.Next(data.Length)] is var k && tensors.ContainsKey(k)
                        ? k : tensors.Keys.ElementAt(random.Next(tensors.Count));
                    var old = tensors[key];
                    switch (random.Next(6))
                    {
                        case 0:
                            tensors.Remove(key);
                            break;
                        case 1:
                            tensors[key] = old.to(Dtypes[random.Next(Dtypes.Length)]);
                            break;
                        case 2:
                            long[] shape = [.. old.shape];
                            if (shape.Length == 0 || random.Next(3) == 0) shape = [.. shape, 1 + random.Next(3)];
                            else shape[random.Next(shape.Length)] = random.Next(0, 40);
                            tensors[key] = zeros(shape, old.dtype);
                            break;
                        default:   // other values: one element, or all
                            var values = old.to(ScalarType.Float64).clone();
                            var value = (double)Mutations.Number(random);
                            if (random.Next(2) == 0 && values.numel() > 0) values.view(-1)[random.NextInt64(values.numel())] = tensor(value);
                            else values.fill_(value);
                            tensors[key] = values.to(old.dtype);
                            break;
                    }
                    if (!ReferenceEquals(tensors.GetValueOrDefault(key), old)) old.Dispose();
                    // A checkpoint taken where every slot had halted never uses its batch data: resume some slots mid-puzzle.
                    if (data.Contains(key) && tensors.TryGetValue("halted", out var halted) && halted.dtype == ScalarType.Bool && random.Next(2) == 0)
                        halted.fill_(false);
                });
                break;
        }
    }
}
