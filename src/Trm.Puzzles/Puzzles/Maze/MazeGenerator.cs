using System.Globalization;
using Trm.Data;

namespace Trm.Puzzles.Maze;

/// <summary>
/// What <see cref="MazeGenerator"/> makes: <see cref="Size"/> x Size mazes whose unique shortest route from S
/// to G takes at least <see cref="MinPath"/> moves; <see cref="Seed"/> fixes the sequence.
/// </summary>
public sealed record MazeGenerationOptions(int Size = 30, int MinPath = 110, int Seed = 0);

/// <summary>
/// Seeded generator of mazes in the Maze-Hard style: a corridor maze carved on the odd rows and columns by a
/// randomized depth-first search (one cell wide corridors between one cell thick walls), a share of the
/// remaining inner walls knocked out so that some routes loop, then S and G on open cells whose shortest
/// route is long enough and unique (so the label is well defined). Never returns the same maze twice, nor
/// one that is a rotation or reflection of an earlier one (those would leak across train and test once
/// augmented).
/// </summary>
public sealed class MazeGenerator
{
    /// <summary>Chance that an inner wall still standing after carving is knocked out (makes loops).</summary>
    const double LoopChance = 0.1;

    /// <summary>Start cells tried per carved maze before carving another.</summary>
    const int StartsPerMaze = 4;

    /// <summary>Carved mazes tried in a row without success before the minimum path is declared out of reach.</summary>
    const int MaxFailedMazes = 20_000;

    readonly MazeGenerationOptions options;
    readonly Random random;
    readonly HashSet<string> seen = [];
    readonly bool[] open;
    readonly int[] distance, queue, stack;
    readonly long[] count;
    readonly List<int> candidates = [];

    /// <summary>Mazes carved so far, successful or not.</summary>
    public long Attempts { get; private set; }

    public MazeGenerator(MazeGenerationOptions options)
    {
        if (options.Size < 4) throw new TrmException($"maze size {options.Size} is too small; use at least 4.");
        if (options.MinPath < 1) throw new TrmException($"minimum path {options.MinPath} must be at least 1 move.");
        int longest = LongestPossiblePath(options.Size);
        if (options.MinPath > longest)
            throw new TrmException($"no {options.Size}x{options.Size} maze of this generator has a shortest path of {options.MinPath} moves: " +
                $"the most it can hold is {longest}. Lower the minimum path or raise the size.");
        this.options = options;
        random = new Random(options.Seed);
        int cells = options.Size * options.Size;
        (open, distance, queue, stack, count) = (new bool[cells], new int[cells], new int[cells], new int[cells], new long[cells]);
    }

    /// <summary>
    /// Upper bound on a shortest route in a size x size maze of this generator: a route alternates the
    /// c² corridor cells (c = size / 2 a side) with the gaps between them and may start and end in a gap,
    /// so it makes at most 2(c² - 1) + 2 = 2c² moves.
    /// </summary>
    public static int LongestPossiblePath(int size)
    {
        int c = size / 2;
        return 2 * c * c;
    }

    /// <summary>The next maze; throws <see cref="TrmException"/> when <see cref="MazeGenerationOptions.MinPath"/> proves out of reach.</summary>
    public MazeExample Next()
    {
        int longestSeen = 0;
        for (int failed = 0; failed < MaxFailedMazes; failed++)
        {
            Attempts++;
            Carve();
            for (int s = 0; s < StartsPerMaze; s++)
            {
                int start = RandomOpenCell();
                MazeSolver.Search(open, options.Size, start, distance, count, queue);
                candidates.Clear();
                for (int i = 0; i < distance.Length; i++)
                {
                    if (count[i] != 1) continue;
                    longestSeen = Math.Max(longestSeen, distance[i]);
                    if (distance[i] >= options.MinPath) candidates.Add(i);
                }
                if (candidates.Count == 0) continue;
                var example = Draw(start, candidates[random.Next(candidates.Count)]);
                if (seen.Add(CanonicalForm(example.Question))) return example;
            }
        }
        throw new TrmException($"no {options.Size}x{options.Size} maze with a unique shortest path of at least {options.MinPath} moves " +
            $"was found in {MaxFailedMazes} tries (the longest seen was {longestSeen}). Lower the minimum path or raise the size.");
    }

    /// <summary>Fills <see cref="open"/> with a fresh corridor maze: cells at odd (row, column), carved depth-first, then loops.</summary>
    void Carve()
    {
        int size = options.Size;
        Array.Clear(open);
        int corridors = size / 2;
        int Cell(int r, int c) => (2 * r + 1) * size + 2 * c + 1;

        int first = Cell(random.Next(corridors), random.Next(corridors));
        open[first] = true;
        int depth = 0;
        stack[depth++] = first;
        Span<int> moves = stackalloc int[4];
        while (depth > 0)
        {
            int cell = stack[depth - 1];
            int row = cell / size, column = cell % size, choices = 0;
            if (row >= 3 && !open[cell - 2 * size]) moves[choices++] = -size;
            if (row + 2 < size && !open[cell + 2 * size]) moves[choices++] = size;
            if (column >= 3 && !open[cell - 2]) moves[choices++] = -1;
            if (column + 2 < size && !open[cell + 2]) moves[choices++] = 1;
            if (choices == 0)
            {
                depth--;
                continue;
            }
            int step = moves[random.Next(choices)];
            open[cell + step] = true;
            open[cell + 2 * step] = true;
            stack[depth++] = cell + 2 * step;
        }

        // Inner walls between two corridor cells: (odd, even) or (even, odd) positions with corridor cells on both sides.
        for (int row = 1; row < size - 1; row++)
            for (int column = 1 + row % 2; column < size - 1; column += 2)
            {
                int cell = row * size + column;
                bool between = row % 2 == 1 ? open[cell - 1] && open[cell + 1] : open[cell - size] && open[cell + size];
                if (!open[cell] && between && random.NextDouble() < LoopChance) open[cell] = true;
            }
    }

    int RandomOpenCell()
    {
        while (true)
        {
            int cell = random.Next(open.Length);
            if (open[cell]) return cell;
        }
    }

    MazeExample Draw(int start, int goal)
    {
        var cells = new char[open.Length];
        for (int i = 0; i < cells.Length; i++) cells[i] = open[i] ? MazeGrid.Open : MazeGrid.Wall;
        cells[start] = MazeGrid.Start;
        cells[goal] = MazeGrid.Goal;
        var question = MazeGrid.FromCells(cells, options.Size);
        var path = MazeSolver.TraceBack(distance, options.Size, goal);
        return new MazeExample($"trm-seed{options.Seed}", question, question.WithPath(path), distance[goal].ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The smallest of the 8 dihedral images, so that a maze and its rotations or reflections share one key.</summary>
    static string CanonicalForm(MazeGrid maze) =>
        Enumerable.Range(0, Dihedral.Count).Select(t => maze.Transform(t).ToString()).Min(StringComparer.Ordinal)!;
}
