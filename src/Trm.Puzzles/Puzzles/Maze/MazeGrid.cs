using Trm.Data;

namespace Trm.Puzzles.Maze;

/// <summary>
/// A square maze of side <see cref="Size"/>, its <see cref="Size"/>² cells row-major as in the Maze-Hard CSV:
/// <c>#</c> wall, space open, <c>S</c> start, <c>G</c> goal, <c>o</c> a cell of the drawn path. Immutable.
/// </summary>
public sealed class MazeGrid
{
    public const string Charset = "# SGo";
    public const char Wall = '#', Open = ' ', Start = 'S', Goal = 'G', Path = 'o';

    readonly string cells;

    public int Size { get; }

    MazeGrid(string cells, int size) => (this.cells, Size) = (cells, size);

    public char this[int row, int column] => cells[row * Size + column];

    /// <summary>Cell at flat index <c>row * Size + column</c>.</summary>
    public char this[int index] => cells[index];

    /// <summary>Parses a flattened grid; a <see cref="TrmException"/> says why the text is not one.</summary>
    public static MazeGrid Parse(string text) =>
        Problem(text) is { } problem ? throw new TrmException(problem) : new MazeGrid(text, SideOf(text.Length));

    /// <summary>Why <paramref name="text"/> is not a flattened square grid over <see cref="Charset"/>, or null when it is.</summary>
    public static string? Problem(string text)
    {
        if (text.Length == 0) return "the grid is empty";
        int side = SideOf(text.Length);
        if (side * side != text.Length) return $"{text.Length} cells is not a square grid";
        int bad = text.AsSpan().IndexOfAnyExcept(Charset);
        return bad < 0 ? null : $"character '{text[bad]}' at row {bad / side + 1}, column {bad % side + 1} is not one of '{Charset}'";
    }

    internal static MazeGrid FromCells(ReadOnlySpan<char> cells, int size) => new(new string(cells), size);

    /// <summary>The rows joined by newlines, for people to read.</summary>
    public string ToDisplayString() => string.Join("\n", Enumerable.Range(0, Size).Select(r => cells.Substring(r * Size, Size)));

    /// <summary>The flattened grid, as in the CSV.</summary>
    public override string ToString() => cells;

    /// <summary>Flat indices of the cells holding <paramref name="value"/>.</summary>
    public IEnumerable<int> IndicesOf(char value)
    {
        for (int i = cells.IndexOf(value); i >= 0; i = cells.IndexOf(value, i + 1)) yield return i;
    }

    /// <summary>This grid with <paramref name="path"/>'s open cells drawn as <c>o</c> (S and G stay).</summary>
    public MazeGrid WithPath(IEnumerable<int> path)
    {
        var drawn = cells.ToCharArray();
        foreach (var i in path) if (drawn[i] is Open or Path) drawn[i] = Path;
        return new MazeGrid(new string(drawn), Size);
    }

    /// <summary>The grid under dihedral transform <paramref name="transform"/> (see <see cref="Dihedral"/>).</summary>
    public MazeGrid Transform(int transform)
    {
        var grid = new char[Size, Size];
        for (int i = 0; i < cells.Length; i++) grid[i / Size, i % Size] = cells[i];
        var result = Dihedral.Apply(grid, transform);
        var flat = new char[cells.Length];
        for (int i = 0; i < flat.Length; i++) flat[i] = result[i / Size, i % Size];
        return new MazeGrid(new string(flat), Size);
    }

    /// <summary>Token ids (Size², row-major): <c># SGo</c> are 1..5, 0 is padding (never produced).</summary>
    public byte[] ToTokens()
    {
        var tokens = new byte[cells.Length];
        for (int i = 0; i < cells.Length; i++) tokens[i] = (byte)(Charset.IndexOf(cells[i]) + 1);
        return tokens;
    }

    static int SideOf(int length) => (int)Math.Round(Math.Sqrt(length));
}
