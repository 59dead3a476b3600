using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>
/// A maze typed by a person or read from a file: one row per line in the <c># SGo</c> charset (trailing blanks
/// may be trimmed by editors, so short rows are padded with open cells), and a model's answer tokens as a grid.
/// </summary>
public static class MazeText
{
    /// <summary>Largest maze side read (Maze-Hard is 30x30).</summary>
    public const int MaxSide = 256;

    /// <summary>Largest maze text file read: far more than <see cref="MaxSide"/> rows of <see cref="MaxSide"/> cells with their line ends.</summary>
    public const long MaxFileBytes = 1L << 20;

    /// <summary>A maze file's text; a file too large for any maze of at most <see cref="MaxSide"/> a side is refused before it is read.</summary>
    public static string ReadFile(string path) => UserFile.ReadAllText(path, MaxFileBytes, "a maze file");

    /// <summary>Parses rows of a square maze; errors name <paramref name="source"/>, the row and what to fix.</summary>
    public static MazeGrid Parse(string text, string source)
    {
        var rows = text.Replace("\r", "").Split('\n').ToList();
        // Trailing empty lines end the text; a last row of spaces (open cells, as the page writes it) is a row unless the
        // text already has as many rows as its widest row has cells.
        int widest = rows.Max(r => r.Length);
        while (rows.Count > 0 && rows[^1].Trim().Length == 0 && (rows[^1].Length == 0 || rows.Count > widest)) rows.RemoveAt(rows.Count - 1);
        if (rows.Count == 0) throw new TrmException($"{source}: the maze is empty; write one row per line using '{MazeGrid.Charset}'.");
        int size = rows.Count;
        if (size > MaxSide) throw new TrmException($"{source}: the maze has {size} rows, more than the limit of {MaxSide} a side.");
        for (int r = 0; r < size; r++)
            if (rows[r].Length > size)
                throw new TrmException($"{source}: row {r + 1} has {rows[r].Length} cells but the maze has {size} rows; a maze is square.");
        var cells = string.Concat(rows.Select(r => r.PadRight(size, MazeGrid.Open)));
        if (MazeGrid.Problem(cells) is { } problem) throw new TrmException($"{source}: {problem}.");
        var maze = MazeGrid.Parse(cells);
        int starts = maze.IndicesOf(MazeGrid.Start).Count(), goals = maze.IndicesOf(MazeGrid.Goal).Count();
        if (starts != 1 || goals != 1) throw new TrmException($"{source}: a maze needs exactly one S and one G; this one has {starts} S and {goals} G.");
        if (maze.IndicesOf(MazeGrid.Path).Any()) throw new TrmException($"{source}: the maze already holds path cells 'o'; give the question without its path.");
        return maze;
    }

    /// <summary>Why <paramref name="rows"/> is not a maze (empty, ragged, an unknown character), or null when it is.</summary>
    public static string? Problem(IReadOnlyList<string> rows)
    {
        if (rows.Count == 0 || rows[0].Length == 0) return "the maze is empty";
        if (rows.Count > MaxSide || rows[0].Length > MaxSide) return $"a maze of {rows.Count}x{rows[0].Length} cells is larger than the limit of {MaxSide} a side";
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != rows[0].Length) return $"row {r + 1} has {rows[r].Length} cells where row 1 has {rows[0].Length} (ragged rows)";
            int bad = rows[r].AsSpan().IndexOfAnyExcept(MazeGrid.Charset);
            if (bad >= 0) return $"row {r + 1}, column {bad + 1} is '{rows[r][bad]}'; a maze has only '#' wall, ' ' open, 'S', 'G' and 'o' path";
        }
        return null;
    }

    /// <summary>A model's answer tokens as rows for people and pictures; tokens that are no maze cell (padding) show as open cells.</summary>
    public static string[] Rows(IReadOnlyList<int> tokens)
    {
        int size = (int)Math.Round(Math.Sqrt(tokens.Count));
        var cells = tokens.Select(t => t >= 1 && t <= MazeGrid.Charset.Length ? MazeGrid.Charset[t - 1] : MazeGrid.Open).ToArray();
        return Enumerable.Range(0, size).Select(r => new string(cells, r * size, size)).ToArray();
    }

    /// <summary>The grid a model's answer tokens describe (1..5 = <c># SGo</c>); null when a token is outside them.</summary>
    public static MazeGrid? FromTokens(IReadOnlyList<int> tokens)
    {
        var cells = new char[tokens.Count];
        for (int i = 0; i < cells.Length; i++)
        {
            if (tokens[i] < 1 || tokens[i] > MazeGrid.Charset.Length) return null;
            cells[i] = MazeGrid.Charset[tokens[i] - 1];
        }
        return MazeGrid.Parse(new string(cells));
    }
}
