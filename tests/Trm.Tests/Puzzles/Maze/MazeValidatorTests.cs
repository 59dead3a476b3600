using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeValidatorTests
{
    static string? Check(string[] answer) => MazeValidator.Check(Grid(Ring), Grid(answer));

    [Fact]
    public void AcceptsTheShortestRoute() => Assert.Null(Check(RingSolved));

    [Fact]
    public void RejectsTheLongerWayRound()
    {
        var longer = With(Ring, 'o', (2, 1), (3, 1), (4, 1), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5), (4, 5), (3, 5), (3, 4));
        Assert.Equal("the answer marks 11 path cells, a shortest route has 7 (it does reach G)", Check(longer));
        Assert.Equal(new MazeVerdict(ConnectsStartToGoal: true, Shortest: false, Check(longer)), MazeValidator.Assess(Grid(Ring), Grid(longer)));
    }

    [Fact]
    public void RejectsABrokenRoute()
    {
        Assert.Equal("the answer marks 6 path cells, a shortest route has 7", Check(With(RingSolved, ' ', (1, 3))));
        Assert.False(MazeValidator.Assess(Grid(Ring), Grid(With(RingSolved, ' ', (1, 3)))).ConnectsStartToGoal);
    }

    [Fact]
    public void RejectsRightCountButDisconnectedCells() =>
        Assert.Equal("the path cells do not connect S to G", Check(With(With(RingSolved, ' ', (1, 3)), 'o', (5, 1))));

    [Fact]
    public void RejectsAMovedWall() =>
        Assert.Equal("the answer has 'o' at row 3, column 3 where the question has '#'", Check(With(RingSolved, 'o', (2, 2))));

    [Fact]
    public void RejectsAMovedGoal() =>
        Assert.Equal("the answer has 'o' at row 4, column 4 where the question has 'G'", Check(With(With(RingSolved, 'o', (3, 3)), 'G', (5, 3))));

    [Fact]
    public void RejectsAnUnsolvedAnswer() =>
        Assert.Equal("the answer marks 0 path cells, a shortest route has 7", Check(Ring));

    [Fact]
    public void RejectsAnAnswerOfAnotherSize() =>
        Assert.Equal("the answer is 3x3, the question 7x7", MazeValidator.Check(Grid(Ring), MazeGrid.Parse("S   o   G")));
}
