namespace Trm.Puzzles.Maze;

/// <summary>
/// A maze's shortest route from S to G. <see cref="Distance"/> counts moves (the path's cells minus one, so the
/// <c>o</c> cells number Distance - 1); <see cref="PathCount"/> is how many distinct shortest routes exist,
/// saturating at <see cref="long.MaxValue"/>; <see cref="Path"/> is one of them as flat indices, S first, G last
/// (the only one when PathCount is 1).
/// </summary>
public sealed record MazeSolution(int Distance, long PathCount, IReadOnlyList<int> Path);

/// <summary>Breadth-first search over non-wall cells with 4-neighbour moves.</summary>
public static class MazeSolver
{
    /// <summary>Solves <paramref name="maze"/> (one S and one G required); null when G cannot be reached from S.</summary>
    public static MazeSolution? Solve(MazeGrid maze)
    {
        int start = SingleCell(maze, MazeGrid.Start), goal = SingleCell(maze, MazeGrid.Goal);
        int n = maze.Size * maze.Size;
        var open = new bool[n];
        for (int i = 0; i < n; i++) open[i] = maze[i] != MazeGrid.Wall;
        var distance = new int[n];
        var count = new long[n];
        Search(open, maze.Size, start, distance, count, new int[n]);
        return distance[goal] < 0 ? null : new MazeSolution(distance[goal], count[goal], TraceBack(distance, maze.Size, goal));
    }

    static int SingleCell(MazeGrid maze, char value)
    {
        var found = maze.IndicesOf(value).Take(2).ToList();
        return found.Count == 1 ? found[0] : throw new TrmException($"a maze needs exactly one '{value}', this one has {maze.IndicesOf(value).Count()}");
    }

    /// <summary>
    /// Fills <paramref name="distance"/> (moves from <paramref name="source"/>, -1 when unreachable) and
    /// <paramref name="count"/> (shortest routes, saturating) for every cell of a size x size grid.
    /// <paramref name="queue"/> is scratch space of size² entries.
    /// </summary>
    internal static void Search(ReadOnlySpan<bool> open, int size, int source, Span<int> distance, Span<long> count, Span<int> queue)
    {
        distance.Fill(-1);
        count.Clear();
        distance[source] = 0;
        count[source] = 1;
        int head = 0, tail = 0;
        queue[tail++] = source;
        while (head < tail)
        {
            int cell = queue[head++];
            int row = cell / size, column = cell % size;
            for (int k = 0; k < 4; k++)
            {
                int next = k switch
                {
                    0 => row > 0 ? cell - size : -1,
                    1 => row < size - 1 ? cell + size : -1,
                    2 => column > 0 ? cell - 1 : -1,
                    _ => column < size - 1 ? cell + 1 : -1,
                };
                if (next < 0 || !open[next]) continue;
                if (distance[next] < 0)
                {
                    distance[next] = distance[cell] + 1;
                    queue[tail++] = next;
                }
                if (distance[next] == distance[cell] + 1)
                    count[next] = count[next] > long.MaxValue - count[cell] ? long.MaxValue : count[next] + count[cell];
            }
        }
    }

    /// <summary>One shortest route to <paramref name="target"/>, source first, following cells one move closer.</summary>
    internal static int[] TraceBack(ReadOnlySpan<int> distance, int size, int target)
    {
        var path = new int[distance[target] + 1];
        int cell = target;
        for (int d = distance[target]; d >= 0; d--)
        {
            path[d] = cell;
            if (d == 0) break;
            int row = cell / size, column = cell % size;
            if (row > 0 && distance[cell - size] == d - 1) cell -= size;
            else if (row < size - 1 && distance[cell + size] == d - 1) cell += size;
            else if (column > 0 && distance[cell - 1] == d - 1) cell -= 1;
            else cell += 1;
        }
        return path;
    }
}
