using Trm.Data;

namespace Trm.Puzzles.Arc;

/// <summary>
/// Chooses a puzzle's augmentations as the reference does: draw (transform, colour permutation) up to
/// <see cref="RetriesFactor"/> x count times, keeping a draw only when the augmented puzzle's content hash
/// (<see cref="ArcPuzzleHash.OfPairs"/>, over train and test pairs) is new to the group, original included.
/// </summary>
public static class ArcAugmenter
{
    public const int RetriesFactor = 5;

    /// <summary>
    /// Up to <paramref name="count"/> distinct augmentations in the order they were accepted; fewer when the puzzle
    /// has fewer distinct variants (e.g. few colours and symmetric grids) than the tries could find.
    /// </summary>
    public static IReadOnlyList<ArcAugmentation> Choose(ArcPuzzle puzzle, int count, NumpyRandom random)
    {
        var chosen = new List<ArcAugmentation>();
        if (count == 0) return chosen;
        var seen = new HashSet<string> { ArcPuzzleHash.OfPairs(puzzle.AllPairs) };
        for (int trial = 0; trial < RetriesFactor * count && chosen.Count < count; trial++)
        {
            var augmentation = ArcAugmentation.Draw(random);
            if (seen.Add(ArcPuzzleHash.OfPairs(augmentation.Apply(puzzle).AllPairs))) chosen.Add(augmentation);
        }
        return chosen;
    }
}
