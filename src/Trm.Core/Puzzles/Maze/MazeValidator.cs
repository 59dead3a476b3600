namespace Trm.Puzzles.Maze;

/// <summary>Checks a proposed answer (a model's prediction or a CSV label) against its question.</summary>
public static class MazeValidator
{
    /// <summary>
    /// Null when <paramref name="answer"/> is a correct solution of <paramref name="question"/>: walls, S and G
    /// unchanged, every other cell open or <c>o</c>, and the <c>o</c> cells with S and G forming one route from
    /// S to G as short as the BFS distance. Otherwise why not, for people.
    /// </summary>
    public static string? Check(MazeGrid question, MazeGrid answer)
    {
        if (answer.Size != question.Size) return $"the answer is {answer.Size}x{answer.Size}, the question {question.Size}x{question.Size}";
        if (question.IndicesOf(MazeGrid.Path).Any()) return "the question already contains path cells 'o'";
        int starts = question.IndicesOf(MazeGrid.Start).Count(), goals = question.IndicesOf(MazeGrid.Goal).Count();
        if (starts != 1 || goals != 1) return $"the question needs exactly one S and one G, has {starts} S and {goals} G";

        int size = question.Size, onRoute = 0;
        var route = new bool[size * size];
        for (int i = 0; i < route.Length; i++)
        {
            char q = question[i], a = answer[i];
            bool kept = q == MazeGrid.Open ? a is MazeGrid.Open or MazeGrid.Path : a == q;
            if (!kept) return $"the answer has '{a}' at row {i / size + 1}, column {i % size + 1} where the question has '{q}'";
            route[i] = a is MazeGrid.Start or MazeGrid.Goal or MazeGrid.Path;
            if (route[i]) onRoute++;
        }

        var solution = MazeSolver.Solve(question);
        if (solution is null) return "G cannot be reached from S";
        if (onRoute != solution.Distance + 1)
            return $"the answer marks {onRoute - 2} path cells, a shortest route has {solution.Distance - 1}";

        // The route's cells number Distance + 1, and no route is shorter than Distance: if they connect S to G,
        // they form exactly one shortest route.
        int start = question.IndicesOf(MazeGrid.Start).Single(), goal = question.IndicesOf(MazeGrid.Goal).Single();
        var distance = new int[route.Length];
        MazeSolver.Search(route, size, start, distance, new long[route.Length], new int[route.Length]);
        return distance[goal] < 0 ? "the path cells do not connect S to G" : null;
    }
}
