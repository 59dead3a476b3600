using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Solving;

/// <summary>
/// <see cref="IStepEngine"/> on TorchSharp: one <see cref="TrmAct.Forward"/> per step, the ACT carry kept on
/// <paramref name="device"/> (rows gathered when they move), noise drawn per row from a <see cref="Generator"/> seeded with its
/// <see cref="StepRow.NoiseSeed"/>. Puts the model in evaluation mode until disposed; runs without gradients.
/// </summary>
public sealed class ActStepEngine(TrmAct model, Device device) : IStepEngine
{
    static readonly HaltingPolicy Unlimited = HaltingPolicy.Fixed(int.MaxValue);   // the caller halts rows, not the carry

    readonly bool wasTraining = SetEval(model);
    ActCarry? carry;                          // (B) rows of the previous step
    Generator?[] generators = [];             // per row, with noise: its run's own random stream
    Tensor? previousLogits;                   // (B, seq_len, vocab) float32 of the previous step, when measured
    readonly Dictionary<LatentNoise, IReadOnlyList<int>> targets = [];

    static bool SetEval(TrmAct model)
    {
        bool training = model.training;
        model.eval();
        return training;
    }

    /// <summary>The intra-op threads of each step by its width, set on the calling thread; null: libtorch's as they are.</summary>
    public ThreadPlan? Threads { get; set; }

    public void RequireNoise(LatentNoise noise) => Targets(noise);

    IReadOnlyList<int> Targets(LatentNoise noise) =>
        targets.TryGetValue(noise, out var known) ? known : targets[noise] = noise.Targets(model.Inner.Latents, model.Config.Architecture);

    public StepResult Step(IReadOnlyList<StepRow> rows, bool measureChange = false)
    {
        int width = rows.Count, seqLen = rows[0].Tokens.Length;
        if (Threads is { } plan) ThreadPlan.Apply(plan.For(width));
        var tokens = new int[width * seqLen];
        var identifiers = new int[width];
        var starts = new bool[width];
        for (int row = 0; row < width; row++)
        {
            rows[row].Tokens.CopyTo(tokens, row * seqLen);
            identifiers[row] = rows[row].PuzzleIdentifier;
            starts[row] = rows[row].Starts;
        }
        // A row takes its carry from the row it continues; a starting row's is reset by the mask, so any row will do.
        var from = rows.Select((r, row) => r.Starts ? Math.Min(row, Math.Max((int)(carry?.Steps.shape[0] ?? 1) - 1, 0)) : r.From).ToArray();
        bool inPlace = carry is not null && carry.Steps.shape[0] == width && rows.Select((r, row) => r.Starts || r.From == row).All(same => same);
        MoveGenerators(rows);

        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var fresh = new TrmBatch(tensor(tokens, [width, seqLen]).to(device),
            full([width, seqLen], ActLossHead.IgnoreLabelId, ScalarType.Int32, device), tensor(identifiers).to(device));
        if (carry is null) carry = model.InitialCarry(fresh);
        else if (!inPlace)
        {
            var gathered = carry.Map(t => t.index_select(0, tensor(from.Select(f => (long)f).ToArray()).to(device)));
            carry.Dispose();
            carry = gathered;
        }
        using var startMask = tensor(starts).to(device);
        var (next, outputs) = model.Forward(carry with { Halted = startMask }, fresh, Unlimited, Noise(rows));

        double[]? changes = null;
        if (measureChange)
        {
            var logits = outputs.Logits.to(ScalarType.Float32);
            if (previousLogits is not null)
            {
                var previous = inPlace ? previousLogits : previousLogits.index_select(0, tensor(from.Select(f => (long)Math.Min(f, previousLogits.shape[0] - 1)).ToArray()).to(device));
                changes = (logits - previous).square().mean([1, 2]).sqrt().to(ScalarType.Float64).cpu().data<double>().ToArray();
            }
            changes ??= new double[width];
            for (int row = 0; row < width; row++)
                if (rows[row].Starts || previousLogits is null) changes[row] = double.NaN;
            previousLogits?.Dispose();
            previousLogits = logits.detach().clone().MoveToOuterDisposeScope();
        }
        else
        {
            previousLogits?.Dispose();
            previousLogits = null;
        }
        var result = new StepResult(outputs.Logits.argmax(-1).to(ScalarType.Int32).cpu().data<int>().ToArray(),
            outputs.QHaltLogits.to(ScalarType.Float32).cpu().data<float>().ToArray(),
            outputs.QContinueLogits.to(ScalarType.Float32).cpu().data<float>().ToArray(), changes);
        carry.Dispose();
        carry = next.MoveToOuterDisposeScope();
        return result;
    }

    // Each row's noise stream follows it; a starting row with noise opens its own, seeded with its run's seed.
    void MoveGenerators(IReadOnlyList<StepRow> rows)
    {
        var moved = new Generator?[rows.Count];
        for (int row = 0; row < rows.Count; row++)
        {
            var r = rows[row];
            if (!r.Starts)
            {
                moved[row] = generators[r.From];
                generators[r.From] = null;
            }
            else if (r.Noise is not null) moved[row] = new Generator(r.NoiseSeed);
        }
        foreach (var left in generators) left?.Dispose();
        generators = moved;
    }

    // Per target latent, (B, L, D): each row's draws on the latents its noise targets (in latent order), zeros elsewhere.
    Func<InnerCarry, InnerCarry>? Noise(IReadOnlyList<StepRow> rows)
    {
        var perRow = rows.Select(r => r.Noise is null ? [] : Targets(r.Noise)).ToArray();
        var union = perRow.SelectMany(t => t).Distinct().Order().ToList();
        if (union.Count == 0) return null;
        var shape = carry!.Inner.Answer.shape[1..];   // (L, D)
        var drawn = union.Select(latent => stack(rows.Select((r, row) => perRow[row].Contains(latent)
            ? randn(shape, generator: generators[row]).mul(r.Noise!.Sigma) : zeros(shape))).to(device)).ToList();
        return latents => LatentNoise.Add(latents, union, drawn);
    }

    public void Clear()
    {
        carry?.Dispose();
        carry = null;
        previousLogits?.Dispose();
        previousLogits = null;
        foreach (var generator in generators) generator?.Dispose();
        generators = [];
    }

    public void Dispose()
    {
        Clear();
        model.train(wasTraining);
    }
}
