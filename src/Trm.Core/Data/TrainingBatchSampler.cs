namespace Trm.Data;

/// <summary>
/// Which examples make up each training batch of one set, as the reference samples them: the groups
/// are shuffled once per epoch (epochs chained), and each group in turn contributes one random puzzle
/// and that puzzle's examples in random order without replacement, until the global batch is full (a
/// puzzle may be cut short). A trailing partial batch is dropped. Only indices are drawn here, so a
/// resumed run can replay the plan cheaply to reach its position.
/// </summary>
public static class TrainingBatchSampler
{
    /// <summary>One global batch: example rows (global batch) and the puzzle each row belongs to.</summary>
    public readonly record struct Plan(long[] Examples, int[] Puzzles);

    public static IEnumerable<Plan> Batches(PuzzleSet set, int globalBatchSize, int epochs, Random random)
    {
        var groupOrder = new int[set.GroupCount * epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = groupOrder.AsSpan(epoch * set.GroupCount, set.GroupCount);
            for (int g = 0; g < order.Length; g++) order[g] = g;
            random.Shuffle(order);
        }

        int next = 0;
        while (next < groupOrder.Length)
        {
            var examples = new long[globalBatchSize];
            var puzzles = new int[globalBatchSize];
            int filled = 0;
            while (next < groupOrder.Length && filled < globalBatchSize)
            {
                int group = groupOrder[next++];
                int puzzle = random.Next(set.GroupIndices[group], set.GroupIndices[group + 1]);
                int first = set.PuzzleIndices[puzzle], size = set.PuzzleIndices[puzzle + 1] - first;
                int take = Math.Min(size, globalBatchSize - filled);
                foreach (int offset in SampleWithoutReplacement(size, take, random))
                {
                    examples[filled] = first + offset;
                    puzzles[filled++] = puzzle;
                }
            }
            if (filled < globalBatchSize) yield break;
            yield return new Plan(examples, puzzles);
        }
    }

    /// <summary><paramref name="take"/> distinct values of [0, <paramref name="count"/>) in random order (partial Fisher-Yates).</summary>
    static int[] SampleWithoutReplacement(int count, int take, Random random)
    {
        var pool = Enumerable.Range(0, count).ToArray();
        for (int i = 0; i < take; i++)
        {
            int j = random.Next(i, count);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..take];
    }
}
