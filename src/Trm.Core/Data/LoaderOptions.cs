namespace Trm.Data;

/// <summary>
/// How batches are drawn. <see cref="GlobalBatchSize"/> examples per step across all
/// <see cref="WorldSize"/> data-parallel ranks; this process sees rows
/// [rank * local, (rank + 1) * local) of each global batch. One training iteration chains
/// <see cref="EpochsPerIteration"/> epochs (the reference's <c>epochs_per_iter</c>).
/// </summary>
public sealed record LoaderOptions(int GlobalBatchSize, int Seed, int EpochsPerIteration = 1, int Rank = 0, int WorldSize = 1)
{
    public int LocalBatchSize => GlobalBatchSize / WorldSize;

    public void Validate()
    {
        if (GlobalBatchSize <= 0) throw new TrmException($"global_batch_size must be positive, is {GlobalBatchSize}.");
        if (WorldSize <= 0 || Rank < 0 || Rank >= WorldSize) throw new TrmException($"rank {Rank} must be in [0, world size {WorldSize}).");
        if (GlobalBatchSize % WorldSize != 0) throw new TrmException($"global_batch_size {GlobalBatchSize} must be a multiple of the world size {WorldSize}.");
        if (EpochsPerIteration <= 0) throw new TrmException($"epochs per iteration must be positive, is {EpochsPerIteration}.");
    }
}
