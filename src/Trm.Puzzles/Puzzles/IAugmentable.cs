namespace Trm.Puzzles;

/// <summary>
/// A puzzle whose kind has symmetries that carry its answer along (a Sudoku relabelled and shuffled, a maze turned or
/// flipped): copies of it in other frames, which test-time compute may run and vote on, each answer mapped back.
/// </summary>
public interface IAugmentable
{
    /// <summary>Up to <paramref name="count"/> copies in other frames, chosen by <paramref name="seed"/> (the same seed, the same copies).</summary>
    IReadOnlyList<AugmentedView> Augmentations(int count, ulong seed);
}
