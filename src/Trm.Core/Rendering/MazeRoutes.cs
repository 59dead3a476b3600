namespace Trm.Rendering;

/// <summary>Shortest routes through a maze drawn as rows of text (<c>#</c> walls; every other cell passable; 4-neighbour moves).</summary>
public static class MazeRoutes
{
    /// <summary>
    /// The path cells (<c>o</c>) of <paramref name="answer"/> (default: <paramref name="maze"/> itself) that lie on no
    /// shortest route from S to G through <paramref name="maze"/>, or null when that cannot be said (not exactly one S
    /// and one G, G unreachable, or the two differ in shape).
    /// </summary>
    public static bool[,]? OffRoute(IReadOnlyList<string> maze, IReadOnlyList<string>? answer = null)
    {
        answer ??= maze;
        if (answer.Count != maze.Count || answer.Where((row, r) => row.Length != maze[r].Length).Any()) return null;
        var starts = Find(maze, 'S').ToList();
        var goals = Find(maze, 'G').ToList();
        if (starts.Count != 1 || goals.Count != 1) return null;
        var fromStart = Distances(maze, starts[0]);
        var fromGoal = Distances(maze, goals[0]);
        int shortest = fromStart[goals[0].Row, goals[0].Column];
        if (shortest < 0) return null;
        var off = new bool[maze.Count, maze[0].Length];
        for (int r = 0; r < maze.Count; r++)
            for (int c = 0; c < maze[r].Length; c++)
                off[r, c] = answer[r][c] == 'o' && (fromStart[r, c] < 0 || fromStart[r, c] + fromGoal[r, c] != shortest);
        return off;
    }

    /// <summary>Moves from <paramref name="source"/> to every cell by breadth-first search; -1 where unreachable.</summary>
    public static int[,] Distances(IReadOnlyList<string> rows, (int Row, int Column) source)
    {
        int height = rows.Count, width = rows[0].Length;
        var distance = new int[height, width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++) distance[r, c] = -1;
        var queue = new Queue<(int Row, int Column)>();
        distance[source.Row, source.Column] = 0;
        queue.Enqueue(source);
        while (queue.TryDequeue(out var at))
            foreach (var (dr, dc) in (ReadOnlySpan<(int, int)>)[(-1, 0), (1, 0), (0, -1), (0, 1)])
            {
                int r = at.Row + dr, c = at.Column + dc;
                if (r < 0 || r >= height || c < 0 || c >= width || rows[r][c] == '#' || distance[r, c] >= 0) continue;
                distance[r, c] = distance[at.Row, at.Column] + 1;
                queue.Enqueue((r, c));
            }
        return distance;
    }

    static IEnumerable<(int Row, int Column)> Find(IReadOnlyList<string> rows, char value)
    {
        for (int r = 0; r < rows.Count; r++)
            for (int c = rows[r].IndexOf(value); c >= 0; c = rows[r].IndexOf(value, c + 1)) yield return (r, c);
    }
}
