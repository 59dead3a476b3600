using Trm.Puzzles.Maze;

namespace Trm.Tests.Puzzles.Maze;

/// <summary>Hand-made mazes and a breadth-first search written apart from the library's, to check it against.</summary>
public static class MazeTestData
{
    // A ring around a wall block: S to G is 8 moves across the top and right, 12 the other way round.
    public static readonly string[] Ring =
    [
        "#######",
        "#S    #",
        "# ### #",
        "# #G  #",
        "# ### #",
        "#     #",
        "#######",
    ];

    public static readonly string[] RingSolved =
    [
        "#######",
        "#Soooo#",
        "# ###o#",
        "# #Goo#",
        "# ### #",
        "#     #",
        "#######",
    ];

    public static MazeGrid Grid(string[] rows) => MazeGrid.Parse(string.Concat(rows));

    /// <summary>Changes the cells at (row, column) of <paramref name="rows"/> to <paramref name="value"/>.</summary>
    public static string[] With(string[] rows, char value, params (int Row, int Column)[] cells)
    {
        var copy = rows.Select(r => r.ToCharArray()).ToArray();
        foreach (var (r, c) in cells) copy[r][c] = value;
        return copy.Select(r => new string(r)).ToArray();
    }

    /// <summary>Moves from S to G and the number of shortest routes (-1, 0 when unreachable), by a plain BFS on (row, column).</summary>
    public static (int Distance, long Routes) Bfs(MazeGrid maze)
    {
        int n = maze.Size;
        var cells = Enumerable.Range(0, n * n).Select(i => (Row: i / n, Column: i % n)).ToList();
        var start = cells.Single(p => maze[p.Row, p.Column] == 'S');
        var goal = cells.Single(p => maze[p.Row, p.Column] == 'G');
        var distance = new Dictionary<(int, int), int> { [start] = 0 };
        var routes = new Dictionary<(int, int), long> { [start] = 1 };
        var queue = new Queue<(int Row, int Column)>([start]);
        while (queue.Count > 0)
        {
            var (r, c) = queue.Dequeue();
            foreach (var next in new[] { (r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1) })
            {
                if (next.Item1 < 0 || next.Item1 >= n || next.Item2 < 0 || next.Item2 >= n || maze[next.Item1, next.Item2] == '#') continue;
                if (!distance.ContainsKey(next))
                {
                    distance[next] = distance[(r, c)] + 1;
                    routes[next] = 0;
                    queue.Enqueue(next);
                }
                if (distance[next] == distance[(r, c)] + 1) routes[next] += routes[(r, c)];
            }
        }
        return distance.TryGetValue(goal, out var d) ? (d, routes[goal]) : (-1, 0);
    }

    /// <summary>
    /// Asserts <paramref name="answer"/> draws a shortest route of <paramref name="question"/>: same walls, S and G,
    /// and its o cells walk from S to G one neighbour at a time in as many moves as <see cref="Bfs"/> finds.
    /// </summary>
    public static void AssertShortestRoute(MazeGrid question, MazeGrid answer)
    {
        int n = question.Size;
        Assert.Equal(n, answer.Size);
        for (int i = 0; i < n * n; i++)
            Assert.Equal(question[i] == ' ' ? answer[i] == 'o' ? 'o' : ' ' : question[i], answer[i]);
        var route = Enumerable.Range(0, n * n).Where(i => answer[i] is 'o' or 'G').ToHashSet();
        int cell = Enumerable.Range(0, n * n).Single(i => answer[i] == 'S'), moves = 0;
        while (answer[cell] != 'G')
        {
            int[] neighbours = [cell - n, cell + n, cell % n > 0 ? cell - 1 : -1, cell % n < n - 1 ? cell + 1 : -1];
            cell = Assert.Single(neighbours, route.Contains);
            route.Remove(cell);
            moves++;
        }
        Assert.Empty(route);
        Assert.Equal(Bfs(question).Distance, moves);
    }
}
