using Trm.Data;

namespace Trm.Puzzles.Arc;

/// <summary>What a build wrote, the puzzles read per subset (in order), the test pairs held out, and warnings for the user.</summary>
public sealed record ArcBuildResult(
    DatasetSummary Dataset, IReadOnlyList<(string Subset, int Puzzles)> PuzzlesPerSubset, int TestPairs, IReadOnlyList<string> Warnings)
{
    public int Puzzles => PuzzlesPerSubset.Sum(s => s.Puzzles);
}

/// <summary>
/// Builds an ARC dataset as the reference's <c>build_arc_dataset.py</c> does, byte for byte for the same seed (when the
/// test set is not the first subset; otherwise the reference's own order depends on Python's hash seed):
/// <list type="number">
/// <item>each subset's puzzles, in order, shuffled with numpy's generator; each puzzle gets its augmentations (<see cref="ArcAugmenter"/>);</item>
/// <item>group by group, the original then its augmentations: train pairs (and the test pairs of non-test subsets) go to
/// <c>train/</c>, each example translated by a random offset except one per puzzle; the test set's test pairs go
/// untranslated to <c>test/</c>. Every (augmented) puzzle name gets one identifier, in train order, shared by its halves.</item>
/// </list>
/// Only the augmentation plans are kept in memory; the grids are regenerated while streaming to disk.
/// </summary>
public static class ArcDatasetBuilder
{
    public const string BlankIdentifier = "<blank>";

    static readonly DatasetMetadata Layout = new()
    {
        PadId = ArcCanvas.Pad, IgnoreLabelId = ArcCanvas.Pad, BlankIdentifierId = 0, VocabSize = ArcCanvas.VocabSize, SeqLen = ArcCanvas.Length,
    };

    sealed record Group(ArcPuzzle Puzzle, bool IsTest, IReadOnlyList<ArcAugmentation> Augmentations);

    public static ArcBuildResult Build(ArcBuildOptions options, IProgress<BuildProgress>? progress = null)
    {
        Validate(options.Subsets, options.TestSet, options.NumAug);
        var subsets = options.Subsets.Select(name => ArcPuzzleReader.ReadSubset(options.InputPrefix, name)).ToList();
        var warnings = subsets.Where(s => !s.HasSolutions)
            .Select(s => $"{ArcPuzzleReader.SolutionsPath(options.InputPrefix, s.Name)} not found: the test pairs of '{s.Name}' get a dummy [[0]] output.")
            .ToList();
        return Write(subsets, options.TestSet, options.OutputDirectory, options.NumAug, options.Seed, warnings, progress);
    }

    /// <summary>
    /// Builds from puzzles in memory, exactly as from files: <paramref name="subsets"/> in order, the test pairs of the one
    /// named <paramref name="testSet"/> held out in <c>test/</c>. Used for test-time training on a task read on its own.
    /// </summary>
    public static ArcBuildResult Build(IReadOnlyList<ArcSubset> subsets, string testSet, string outputDirectory, int numAug = 1000, uint seed = 42,
        IProgress<BuildProgress>? progress = null)
    {
        Validate([.. subsets.Select(s => s.Name)], testSet, numAug);
        return Write(subsets, testSet, outputDirectory, numAug, seed, [], progress);
    }

    static ArcBuildResult Write(IReadOnlyList<ArcSubset> subsets, string testSet, string outputDirectory, int numAug, uint seed,
        List<string> warnings, IProgress<BuildProgress>? progress)
    {
        using var writer = new DatasetWriter(outputDirectory);
        var random = new NumpyRandom(seed);
        var groups = Augment(subsets, testSet, numAug, random, warnings, progress);

        var train = writer.BeginSplit("train", Layout);
        var test = writer.BeginSplit("test", Layout);
        var identifiers = new Dictionary<string, int>();
        var names = new List<string> { BlankIdentifier };
        int IdentifierOf(string name)
        {
            if (!identifiers.TryGetValue(name, out int id))
            {
                identifiers[name] = id = names.Count;
                names.Add(name);
            }
            return id;
        }

        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var members = group.Augmentations.Select(a => a.Apply(group.Puzzle)).Prepend(group.Puzzle).ToList();
            foreach (var puzzle in members)
            {
                WriteTranslated(train, group.IsTest ? puzzle.Train : puzzle.AllPairs.ToList(), random);
                train.EndPuzzle(IdentifierOf(puzzle.Id));
            }
            train.EndGroup();
            if (group.IsTest)
            {
                foreach (var puzzle in members)
                {
                    foreach (var pair in puzzle.Test) AddExample(test, pair, 0, 0);
                    test.EndPuzzle(identifiers[puzzle.Id]);
                }
                test.EndGroup();
            }
            progress?.Report(new BuildProgress("write groups", g + 1, groups.Count));
        }

        var testPuzzles = new OrderedDictionary<string, ArcPuzzle>();
        foreach (var group in groups.Where(g => g.IsTest)) testPuzzles[group.Puzzle.Id] = group.Puzzle;
        writer.WriteJson("identifiers.json", names);
        writer.WriteJson("test_puzzles.json", testPuzzles);
        var summary = writer.Commit(names.Count);
        return new ArcBuildResult(summary, [.. subsets.Select(s => (s.Name, s.Puzzles.Count))], testPuzzles.Values.Sum(p => p.Test.Count), warnings);
    }

    static void Validate(IReadOnlyList<string> subsets, string testSet, int numAug)
    {
        if (subsets.Count == 0) throw new TrmSettingsException(nameof(ArcBuildOptions.Subsets), "is empty; name at least one, e.g. training evaluation concept");
        var repeated = subsets.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new TrmSettingsException(nameof(ArcBuildOptions.Subsets), $"name '{repeated.Key}' twice");
        if (!subsets.Contains(testSet))
            throw new TrmException($"the test set '{testSet}' is not one of the subsets ({string.Join(", ", subsets)}); its test pairs must be read to be held out.");
        if (numAug < 0) throw new TrmSettingsException(nameof(ArcBuildOptions.NumAug), $"must be 0 or more (is {numAug})");
    }

    /// <summary>Shuffles each subset and chooses every puzzle's augmentations, drawing in the reference's order.</summary>
    static List<Group> Augment(IReadOnlyList<ArcSubset> subsets, string testSet, int numAug, NumpyRandom random, List<string> warnings,
        IProgress<BuildProgress>? progress)
    {
        int total = subsets.Sum(s => s.Puzzles.Count);
        var groups = new List<Group>(total);
        foreach (var subset in subsets)
        {
            var puzzles = subset.Puzzles.ToList();
            random.Shuffle(puzzles);
            foreach (var puzzle in puzzles)
            {
                var augmentations = ArcAugmenter.Choose(puzzle, numAug, random);
                if (augmentations.Count < numAug)
                    warnings.Add($"puzzle {puzzle.Id} ({subset.Name}): only {augmentations.Count} distinct augmentations of {numAug} found " +
                        $"in {ArcAugmenter.RetriesFactor * numAug} tries; its group has {augmentations.Count + 1} puzzles.");
                groups.Add(new Group(puzzle, subset.Name == testSet, augmentations));
                progress?.Report(new BuildProgress("augment puzzles", groups.Count, total));
            }
        }
        return groups;
    }

    /// <summary>One puzzle's examples for <c>train/</c>: all but one randomly chosen are translated; input and output share the offset.</summary>
    static void WriteTranslated(SplitWriter split, IReadOnlyList<ArcPair> pairs, NumpyRandom random)
    {
        int untranslated = random.RandInt(0, pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
        {
            var (input, output) = (pairs[i].Input, pairs[i].Output);
            int rowOffset = 0, columnOffset = 0;
            if (i != untranslated)
            {
                rowOffset = random.RandInt(0, ArcCanvas.Size - Math.Max(input.GetLength(0), output.GetLength(0)) + 1);
                columnOffset = random.RandInt(0, ArcCanvas.Size - Math.Max(input.GetLength(1), output.GetLength(1)) + 1);
            }
            AddExample(split, pairs[i], rowOffset, columnOffset);
        }
    }

    static void AddExample(SplitWriter split, ArcPair pair, int rowOffset, int columnOffset)
    {
        Span<byte> input = stackalloc byte[ArcCanvas.Length], label = stackalloc byte[ArcCanvas.Length];
        ArcCanvas.Encode(pair.Input, rowOffset, columnOffset, input);
        ArcCanvas.Encode(pair.Output, rowOffset, columnOffset, label);
        split.AddExample(input, label);
    }
}
