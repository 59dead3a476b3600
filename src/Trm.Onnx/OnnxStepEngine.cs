using Microsoft.ML.OnnxRuntime;
using Trm.Export;
using Trm.Model;
using Trm.Solving;

namespace Trm.Onnx;

/// <summary>
/// <see cref="IStepEngine"/> on ONNX Runtime: one run of an <see cref="ExportedStep"/> per supervision step. The carry is the
/// graph's latents, kept here as float32 arrays (B, L, D) between calls: a starting row sets <c>reset</c> (the graph gives it the
/// initial latents), a continuing row takes the latents of the row it continues. Latent noise is refused: its draws come from
/// libtorch's generator, which this engine does not have, so its answers could not be those of <c>ActStepEngine</c>.
/// </summary>
public sealed class OnnxStepEngine(ExportedStep step) : IStepEngine
{
    readonly RunOptions runOptions = new();
    readonly string[] inputNames = [.. step.Latents, OnnxContract.Reset, OnnxContract.Inputs, OnnxContract.PuzzleIdentifiers];
    readonly string[] outputNames = [.. step.Latents.Select(OnnxContract.Next), OnnxContract.Logits, OnnxContract.QHaltLogits, OnnxContract.QContinueLogits];
    float[][] carry = [];          // per latent, (width, L, D) of the previous call's rows
    float[][] spare = [];          // per latent, a buffer the next call's outputs may take
    int width;                     // rows of the previous call; 0 before the first
    float[]? previousLogits;       // (width, seq_len, vocab) of the previous call, when measured
    float[] logitsBuffer = [];

    int LatentSize => step.Positions * step.HiddenSize;

    /// <summary>Refuses every noise (<see cref="Sampling.Noise"/>, a <see cref="TrmSettingsException"/>).</summary>
    public void RequireNoise(LatentNoise noise) =>
        throw new TrmSettingsException(nameof(Sampling.Noise), $"is {noise.Sigma}, but the ONNX Runtime solver adds no latent noise (it is drawn by libtorch's generator); solve with the checkpoint for noise, or leave it at 0");

    /// <inheritdoc/>
    public StepResult Step(IReadOnlyList<StepRow> rows, bool measureChange = false)
    {
        int rowCount = rows.Count, seqLen = step.SeqLen, vocab = step.VocabSize, size = LatentSize;
        var tokens = new int[rowCount * seqLen];
        var identifiers = new int[rowCount];
        var reset = new bool[rowCount];
        for (int row = 0; row < rowCount; row++)
        {
            var r = rows[row];
            if (r.Noise is { } noise) RequireNoise(noise);
            if (r.Tokens.Length != seqLen) throw new ArgumentException($"row {row} has {r.Tokens.Length} tokens, the graph {seqLen}", nameof(rows));
            if (!r.Starts && r.From >= width) throw new ArgumentException($"row {row} continues row {r.From} of a previous step of {width}", nameof(rows));
            r.Tokens.CopyTo(tokens, row * seqLen);
            identifiers[row] = r.PuzzleIdentifier;
            reset[row] = r.Starts;
        }

        // Rows that each stay where they were (or start) read the carry as it is; otherwise each gathers its row's latents.
        bool inPlace = width == rowCount && rows.Select((r, row) => r.Starts || r.From == row).All(same => same);
        var latents = inPlace ? carry : carry.Length == 0 ? Buffers(rowCount, size) : Gather(rows, size);
        var next = spare.Length > 0 && spare[0].Length == rowCount * size ? spare : Buffers(rowCount, size);
        var logits = measureChange || logitsBuffer.Length != rowCount * seqLen * vocab ? new float[rowCount * seqLen * vocab] : logitsBuffer;
        var qHalt = new float[rowCount];
        var qContinue = new float[rowCount];

        var inputs = new List<OrtValue>();
        var outputs = new List<OrtValue>();
        try
        {
            long[] latentShape = [rowCount, step.Positions, step.HiddenSize];
            inputs.AddRange(latents.Select(l => OrtValue.CreateTensorValueFromMemory(l, latentShape)));
            inputs.Add(OrtValue.CreateTensorValueFromMemory(reset, [rowCount]));
            inputs.Add(OrtValue.CreateTensorValueFromMemory(tokens, [rowCount, seqLen]));
            inputs.Add(OrtValue.CreateTensorValueFromMemory(identifiers, [rowCount]));
            outputs.AddRange(next.Select(l => OrtValue.CreateTensorValueFromMemory(l, latentShape)));
            outputs.Add(OrtValue.CreateTensorValueFromMemory(logits, [rowCount, seqLen, vocab]));
            outputs.Add(OrtValue.CreateTensorValueFromMemory(qHalt, [rowCount]));
            outputs.Add(OrtValue.CreateTensorValueFromMemory(qContinue, [rowCount]));
            step.Session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        }
        finally
        {
            foreach (var value in inputs.Concat(outputs)) value.Dispose();
        }

        var changes = measureChange ? Changes(rows, logits, seqLen * vocab) : null;
        previousLogits = measureChange ? logits : null;
        if (!measureChange) logitsBuffer = logits;
        spare = latents.Length > 0 && latents[0].Length == rowCount * size ? latents : [];
        (carry, width) = (next, rowCount);
        return new StepResult(Argmax(logits, rowCount * seqLen, vocab), qHalt, qContinue, changes);
    }

    float[][] Buffers(int rows, int size) => [.. step.Latents.Select(_ => new float[rows * size])];

    float[][] Gather(IReadOnlyList<StepRow> rows, int size)
    {
        var gathered = Buffers(rows.Count, size);
        for (int latent = 0; latent < gathered.Length; latent++)
            for (int row = 0; row < rows.Count; row++)
                if (!rows[row].Starts) Array.Copy(carry[latent], (long)rows[row].From * size, gathered[latent], (long)row * size, size);
        return gathered;
    }

    // The predicted token per position: the first of the largest logits, as torch.argmax picks.
    static int[] Argmax(float[] logits, int positions, int vocab)
    {
        var answers = new int[positions];
        for (int position = 0; position < positions; position++)
        {
            var scores = logits.AsSpan(position * vocab, vocab);
            int best = 0;
            for (int token = 1; token < vocab; token++)
                if (scores[token] > scores[best]) best = token;
            answers[position] = best;
        }
        return answers;
    }

    // Per row, the root mean square of its logits' change since the row it continues; NaN for a starting row or an unmeasured previous step.
    double[] Changes(IReadOnlyList<StepRow> rows, float[] logits, int perRow)
    {
        var changes = new double[rows.Count];
        for (int row = 0; row < rows.Count; row++)
        {
            if (rows[row].Starts || previousLogits is null)
            {
                changes[row] = double.NaN;
                continue;
            }
            var now = logits.AsSpan(row * perRow, perRow);
            var before = previousLogits.AsSpan(rows[row].From * perRow, perRow);
            double sum = 0;
            for (int i = 0; i < perRow; i++)
            {
                float difference = now[i] - before[i];
                sum += difference * difference;
            }
            changes[row] = Math.Sqrt(sum / perRow);
        }
        return changes;
    }

    /// <inheritdoc/>
    public void Clear()
    {
        (carry, spare, width) = ([], [], 0);
        previousLogits = null;
    }

    /// <summary>Forgets the carry and frees the run options.</summary>
    public void Dispose()
    {
        Clear();
        runOptions.Dispose();
    }
}
