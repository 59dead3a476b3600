namespace Trm.Puzzles.Maze;

/// <summary>What a proposed answer is: a route from S to G (<see cref="ConnectsStartToGoal"/>), a shortest one, and why not.</summary>
public sealed record MazeVerdict(bool ConnectsStartToGoal, bool Shortest, string? Problem);

/// <summary>Checks a proposed answer (a model's prediction or a CSV label) against its question.</summary>
public static class MazeValidator
{
    /// <summary>
    /// Null when <paramref name="answer"/> is a correct solution of <paramref name="question"/>: walls, S and G
    /// unchanged, every other cell open or <c>o</c>, and the <c>o</c> cells with S and G forming one route from
    /// S to G as short as the BFS distance. Otherwise why not, for people.
    /// </summary>
    public static string? Check(MazeGrid question, MazeGrid answer) => Assess(question, answer).Problem;

    /// <summary>
    /// Whether <paramref name="answer"/> keeps the question's cells and its <c>o</c> cells link S to G (a valid route,
    /// perhaps with detours), and whether it is exactly one shortest route; the problem for people when it is not.
    /// </summary>
    public static MazeVerdict Assess(MazeGrid question, MazeGrid answer)
    {
        var problem = Problem(question, answer, out bool connects);
        return new MazeVerdict(connects, problem is null, problem);
    }

    static string? Problem(MazeGrid question, MazeGrid answer, out bool connects)
    {
        connects = false;
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
        int start = question.IndicesOf(MazeGrid.Start).Single(), goal = question.IndicesOf(MazeGrid.Goal).Single();
        var distance = new int[route.Length];
        MazeSolver.Search(route, size, start, distance, new long[route.Length], new int[route.Length]);
        connects = distance[goal] >= 0;
        // No route is shorter than Distance, so Distance + 1 connected cells are exactly one shortest route.
        if (onRoute != solution.Distance + 1)
            return $"the answer marks {onRoute - 2} path cells, a shortest route has {solution.Distance - 1}" + (connects ? " (it does reach G)" : "");
        return connects ? null : "the path cells do not connect S to G";
    }
}
