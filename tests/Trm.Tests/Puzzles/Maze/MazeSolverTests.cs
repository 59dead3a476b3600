using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeSolverTests
{
    [Fact]
    public void FindsTheShorterWayRoundTheRing()
    {
        var solution = MazeSolver.Solve(Grid(Ring))!;
        Assert.Equal(8, solution.Distance);
        Assert.Equal(1, solution.PathCount);
        Assert.Equal(Grid(RingSolved).ToString(), Grid(Ring).WithPath(solution.Path).ToString());
    }

    [Fact]
    public void CountsEveryShortestRoute()
    {
        // Open 3x3, corner to corner: choose which 2 of the 4 moves go down, C(4, 2) = 6.
        var solution = MazeSolver.Solve(MazeGrid.Parse("S" + new string(' ', 7) + "G"))!;
        Assert.Equal(4, solution.Distance);
        Assert.Equal(6, solution.PathCount);
        Assert.Equal(5, solution.Path.Count);
    }

    [Fact]
    public void RouteCountSaturatesInsteadOfOverflowing()
    {
        // Open 40x40 corner to corner: C(78, 39) ~ 2.7e22 routes, more than a long holds.
        var solution = MazeSolver.Solve(MazeGrid.Parse("S" + new string(' ', 40 * 40 - 2) + "G"))!;
        Assert.Equal(78, solution.Distance);
        Assert.Equal(long.MaxValue, solution.PathCount);
    }

    [Fact]
    public void UnreachableGoalGivesNull() =>
        Assert.Null(MazeSolver.Solve(Grid(With(Ring, '#', (1, 3), (4, 1)))));

    [Fact]
    public void AMazeWithTwoStartsIsRefused()
    {
        var error = Assert.Throws<TrmException>(() => MazeSolver.Solve(Grid(With(Ring, 'S', (5, 5)))));
        Assert.Contains("exactly one 'S', this one has 2", error.Message);
    }
}
