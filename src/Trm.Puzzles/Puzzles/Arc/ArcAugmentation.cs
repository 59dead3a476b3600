using Trm.Data;

namespace Trm.Puzzles.Arc;

/// <summary>
/// One ARC augmentation: a colour permutation (<see cref="Mapping"/>[original] = new colour, 0 stays 0) followed by
/// dihedral transform <see cref="Transform"/> (numbered as <see cref="Dihedral"/>). An augmented puzzle is named
/// <c>&lt;id&gt;|||t&lt;k&gt;|||&lt;the 10 mapping digits&gt;</c>, so predictions on it can be mapped back to the original.
/// </summary>
public sealed class ArcAugmentation
{
    public const string Separator = "|||";

    public int Transform { get; }

    /// <summary>10 colours: entry c is what colour c becomes. Entry 0 is 0.</summary>
    public IReadOnlyList<byte> Mapping => mapping;

    readonly byte[] mapping;
    readonly byte[] inverseMapping = new byte[10];

    public ArcAugmentation(int transform, IReadOnlyList<byte> mapping)
    {
        if (transform is < 0 or >= Dihedral.Count) throw new ArgumentOutOfRangeException(nameof(transform), $"dihedral transform {transform} is not in 0..7");
        if (mapping.Count != 10 || mapping[0] != 0 || !mapping.Order().SequenceEqual(Enumerable.Range(0, 10).Select(c => (byte)c)))
            throw new ArgumentException($"colour mapping [{string.Join(", ", mapping)}] is not a permutation of 0..9 that keeps 0", nameof(mapping));
        Transform = transform;
        this.mapping = [.. mapping];
        for (byte c = 0; c < 10; c++) inverseMapping[this.mapping[c]] = c;
    }

    public static ArcAugmentation Identity { get; } = new(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    /// <summary>As the reference's <c>aug</c>: a transform in 0..7, then a permutation of colours 1..9, from numpy's generator.</summary>
    public static ArcAugmentation Draw(NumpyRandom random)
    {
        int transform = random.RandInt(0, Dihedral.Count);
        var colours = new List<byte> { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        random.Shuffle(colours);
        return new ArcAugmentation(transform, [0, .. colours]);
    }

    /// <summary>The augmented puzzle's name: <c>&lt;puzzleId&gt;|||t&lt;k&gt;|||&lt;mapping digits&gt;</c>.</summary>
    public string Name(string puzzleId) => $"{puzzleId}{Separator}t{Transform}{Separator}{string.Concat(mapping)}";

    /// <summary>
    /// Splits a puzzle name into the original puzzle id and its augmentation; a plain name (no <c>|||</c>) is the
    /// original puzzle with <see cref="Identity"/>.
    /// </summary>
    public static (string PuzzleId, ArcAugmentation Augmentation) Parse(string name)
    {
        var parts = name.Split(Separator);
        if (parts.Length == 1) return (name, Identity);
        if (parts.Length == 3 && parts[1].Length == 2 && parts[1][0] == 't' && parts[1][1] is >= '0' and < '8'
            && parts[2].Length == 10 && parts[2].All(char.IsAsciiDigit))
        {
            var digits = parts[2].Select(d => (byte)(d - '0')).ToArray();
            if (digits[0] == 0 && digits.Distinct().Count() == 10) return (parts[0], new ArcAugmentation(parts[1][1] - '0', digits));
        }
        throw new TrmException($"puzzle name '{name}' is neither a plain id nor <id>{Separator}t<0-7>{Separator}<permutation of the digits 0-9 starting with 0>; " +
            "identifiers.json must come from an ARC build.");
    }

    /// <summary>Augments a (rows, columns) grid of colours: map colours, then transform. Rotations by 90/270 and (anti-)transposes swap the sides.</summary>
    public byte[,] Apply(byte[,] grid) => Dihedral.Apply(Recolour(grid, mapping), Transform);

    /// <summary>The augmented puzzle: every grid augmented, named <see cref="Name"/>.</summary>
    public ArcPuzzle Apply(ArcPuzzle puzzle) =>
        puzzle with { Id = Name(puzzle.Id), Train = [.. puzzle.Train.Select(Apply)], Test = [.. puzzle.Test.Select(Apply)] };

    ArcPair Apply(ArcPair pair) => new(Apply(pair.Input), Apply(pair.Output));

    /// <summary>Undoes <see cref="Apply(byte[,])"/>: the inverse transform, then the inverse colour mapping.</summary>
    public byte[,] Invert(byte[,] grid) => Recolour(Dihedral.Apply(grid, Dihedral.Inverse[Transform]), inverseMapping);

    static byte[,] Recolour(byte[,] grid, byte[] table)
    {
        var result = new byte[grid.GetLength(0), grid.GetLength(1)];
        for (int r = 0; r < grid.GetLength(0); r++)
            for (int c = 0; c < grid.GetLength(1); c++)
            {
                byte colour = grid[r, c];
                if (colour > 9) throw new ArgumentException($"cell ({r}, {c}) holds {colour}; ARC colours are 0..9", nameof(grid));
                result[r, c] = table[colour];
            }
        return result;
    }
}
