using Trm.Model;
using static TorchSharp.torch;

namespace Trm.Data;

/// <summary>
/// A batch ready for the model and the set it came from. <see cref="EffectiveSize"/>: real examples in
/// the global batch (all ranks); <see cref="RealRows"/>: real rows in this rank's batch, the rest is padding.
/// </summary>
public sealed record LoadedBatch(string SetName, TrmBatch Batch, int EffectiveSize, int RealRows) : IDisposable
{
    public void Dispose()
    {
        Batch.Inputs.Dispose();
        Batch.Labels.Dispose();
        Batch.PuzzleIdentifiers.Dispose();
    }
}

/// <summary>
/// Turns a split into model batches (int32 inputs, labels and puzzle ids; labels equal to the
/// dataset's ignore id become -100). Training iteration <c>i</c> is a pure function of the seed and
/// <c>i</c>, so a resumed run asks for the same iteration and skips the batches it already trained on.
/// Test iteration goes through every example in order and pads the last batch.
/// </summary>
public sealed class PuzzleBatchLoader(PuzzleSplit split, LoaderOptions options)
{
    public const int IgnoreLabel = -100;

    readonly LoaderOptions options = Validated(options, split.Metadata);

    public DatasetMetadata Metadata => split.Metadata;

    /// <summary>The options, checked; every batch allocates (local batch, seq_len) int32 inputs and labels, so their size is checked too.</summary>
    static LoaderOptions Validated(LoaderOptions options, DatasetMetadata metadata)
    {
        options.Validate();
        long tokens = (long)options.LocalBatchSize * metadata.SeqLen;
        if (tokens > Array.MaxLength)
            throw new TrmException($"global_batch_size {options.GlobalBatchSize} x seq_len {metadata.SeqLen} is {tokens:N0} tokens a batch, more than one batch " +
                $"can hold ({Array.MaxLength:N0}); lower the batch size.");
        return options;
    }

    /// <summary>
    /// The batches of training iteration <paramref name="iteration"/> (0-based): for each set in turn,
    /// <c>epochs_per_iter</c> epochs. Each set draws from its own generator seeded by the seed, the
    /// iteration and the set, so iterations do not depend on one another.
    /// </summary>
    public IEnumerable<LoadedBatch> TrainIteration(int iteration, int skipBatches = 0, Device? device = null)
    {
        int position = 0;
        for (int s = 0; s < split.Sets.Count; s++)
        {
            var set = split.Sets[s];
            var random = new Random(unchecked(options.Seed + iteration * split.Sets.Count + s + 1));
            foreach (var plan in TrainingBatchSampler.Batches(set, options.GlobalBatchSize, options.EpochsPerIteration, random))
            {
                if (position++ < skipBatches) continue;
                int local = options.LocalBatchSize, start = options.Rank * local;
                yield return Collate(set, plan.Examples.AsSpan(start, local), plan.Puzzles.AsSpan(start, local), options.GlobalBatchSize, device);
            }
        }
    }

    /// <summary>How many batches <see cref="Test"/> yields.</summary>
    public long TestBatchCount => split.Sets.Sum(set => (set.ExampleCount + options.GlobalBatchSize - 1) / options.GlobalBatchSize);

    /// <summary>Every test example once, in order, per set; the last batch padded (pad tokens, ignored labels, blank puzzle id).</summary>
    public IEnumerable<LoadedBatch> Test(Device? device = null)
    {
        foreach (var set in split.Sets)
        {
            for (long start = 0; start < set.ExampleCount; start += options.GlobalBatchSize)
            {
                long end = Math.Min(set.ExampleCount, start + options.GlobalBatchSize);
                long localStart = Math.Min(end, start + (long)options.Rank * options.LocalBatchSize);
                long localEnd = Math.Min(end, start + (long)(options.Rank + 1) * options.LocalBatchSize);
                var examples = new long[localEnd - localStart];
                var puzzles = new int[examples.Length];
                for (int i = 0; i < examples.Length; i++)
                {
                    examples[i] = localStart + i;
                    puzzles[i] = PuzzleContaining(set, examples[i]);
                }
                yield return Collate(set, examples, puzzles, (int)(end - start), device);
            }
        }
    }

    /// <summary>The puzzle p with idx[p] &lt;= example &lt; idx[p+1].</summary>
    static int PuzzleContaining(PuzzleSet set, long example)
    {
        int low = 0, high = set.PuzzleCount - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (set.PuzzleIndices[middle] <= example) low = middle; else high = middle - 1;
        }
        return low;
    }

    /// <summary>Gathers the rows into (local batch, seq_len) tensors, padding to the local batch size.</summary>
    LoadedBatch Collate(PuzzleSet set, ReadOnlySpan<long> examples, ReadOnlySpan<int> puzzles, int effectiveSize, Device? device)
    {
        int batch = options.LocalBatchSize, seqLen = split.Metadata.SeqLen;
        var inputs = new int[batch * seqLen];
        var labels = new int[batch * seqLen];
        var identifiers = new int[batch];
        Array.Fill(inputs, split.Metadata.PadId);
        Array.Fill(labels, IgnoreLabel);
        Array.Fill(identifiers, split.Metadata.BlankIdentifierId);
        for (int row = 0; row < examples.Length; row++)
        {
            var inputRow = inputs.AsSpan(row * seqLen, seqLen);
            var labelRow = labels.AsSpan(row * seqLen, seqLen);
            set.Inputs.CopyRow(examples[row], inputRow);
            set.Labels.CopyRow(examples[row], labelRow);
            if (split.Metadata.IgnoreLabelId is int ignore) labelRow.Replace(ignore, IgnoreLabel);
            identifiers[row] = set.PuzzleIdentifiers[puzzles[row]];
        }
        var data = new TrmBatch(tensor(inputs, [batch, seqLen]), tensor(labels, [batch, seqLen]), tensor(identifiers));
        return new LoadedBatch(set.Name, device is null ? data : Moved(data, device), effectiveSize, examples.Length);
    }

    static TrmBatch Moved(TrmBatch data, Device device)
    {
        if (device.type == TorchSharp.DeviceType.CPU) return data;
        var moved = data.To(device);
        data.Inputs.Dispose();
        data.Labels.Dispose();
        data.PuzzleIdentifiers.Dispose();
        return moved;
    }
}
