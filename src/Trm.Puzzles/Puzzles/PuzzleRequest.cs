namespace Trm.Puzzles;

/// <summary>
/// One puzzle as a model takes it: token ids (seq_len) and the puzzle-embedding row it uses (0 for Sudoku and mazes).
/// <see cref="Augmented"/> holds copies of it in other frames (a Sudoku relabelled and shuffled, a maze turned) that
/// test-time compute may run too, each with the map of its answers back into this frame.
/// </summary>
public sealed record PuzzleRequest(int[] Tokens, int PuzzleIdentifier = 0)
{
    /// <summary>Augmented copies, as many as the solve may ask for (it takes the first ones); empty where the kind has none.</summary>
    public IReadOnlyList<AugmentedView> Augmented { get; init; } = [];

    /// <summary>Seeds this run's noise generator (test-time compute sets it per trajectory; 0 otherwise).</summary>
    public ulong NoiseSeed { get; init; }

    /// <summary>A hash of the tokens and the puzzle row (FNV-1a, the same in every process): what seeds a puzzle's random
    /// choices, so that they follow its content, not its place among other puzzles.</summary>
    public ulong ContentHash()
    {
        ulong hash = 14695981039346656037;
        foreach (var value in Tokens.Append(PuzzleIdentifier))
            for (int b = 0; b < 4; b++) hash = (hash ^ (byte)(value >> (8 * b))) * 1099511628211;
        return hash;
    }
}

/// <summary>A puzzle's request in another frame: its tokens, and the map of an answer (token ids) in that frame back to the puzzle's.</summary>
public sealed record AugmentedView(int[] Tokens, Func<int[], int[]> ToOriginal);
