using Trm.Data;
using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeGeneratorTests
{
    static readonly MazeGenerationOptions Small = new(Size: 11, MinPath: 20, Seed: 7);

    static List<MazeExample> Generate(MazeGenerationOptions options, int count)
    {
        var generator = new MazeGenerator(options);
        return Enumerable.Range(0, count).Select(_ => generator.Next()).ToList();
    }

    [Fact]
    public void AnswersAreTheUniqueShortestRouteOfAtLeastMinPathMoves()
    {
        foreach (var maze in Generate(Small, 200))
        {
            AssertShortestRoute(maze.Question, maze.Answer);
            var (distance, routes) = Bfs(maze.Question);
            Assert.Equal(1, routes);
            Assert.True(distance >= Small.MinPath, $"shortest route of {distance} moves, fewer than {Small.MinPath}");
            Assert.Equal(distance.ToString(), maze.Rating);
            Assert.Null(MazeValidator.Check(maze.Question, maze.Answer));
        }
    }

    [Fact]
    public void SomeMazesHaveLoops()
    {
        // A loop-free corridor maze on 5x5 corridor cells has exactly 2 * 25 - 1 = 49 open cells; loops add more.
        var openCells = Generate(Small, 50).Select(m => m.Question.ToString().Count(c => c != '#')).ToList();
        Assert.Contains(openCells, count => count > 49);
        Assert.All(openCells, count => Assert.True(count >= 49));
    }

    [Fact]
    public void SameSeedSameMazesOtherSeedOthers()
    {
        var first = Generate(Small, 20).Select(m => m.Answer.ToString()).ToList();
        Assert.Equal(first, Generate(Small, 20).Select(m => m.Answer.ToString()));
        Assert.NotEqual(first, Generate(Small with { Seed = 8 }, 20).Select(m => m.Answer.ToString()));
    }

    [Fact]
    public void NoMazeRepeatsEvenRotatedOrReflected()
    {
        // 6x6 mazes (3x3 corridor cells) with short routes: few distinct ones exist, so repeats would be drawn often.
        var mazes = Generate(new MazeGenerationOptions(Size: 6, MinPath: 3, Seed: 1), 300);
        var images = mazes.SelectMany(m => Enumerable.Range(0, Dihedral.Count).Select(t => m.Question.Transform(t).ToString()).Distinct()).ToList();
        Assert.Equal(images.Count, images.Distinct().Count());
    }

    [Fact]
    public void MinPathLongerThanTheSizeAllowsIsRefusedAtOnce()
    {
        var error = Assert.Throws<TrmException>(() => new MazeGenerator(Small with { MinPath = 51 }));
        Assert.Contains("the most it can hold is 50", error.Message);
    }

    [Fact]
    public void MinPathOutOfPracticalReachIsReportedWithTheLongestSeen()
    {
        var error = Assert.Throws<TrmException>(() => new MazeGenerator(Small with { MinPath = 50 }).Next());
        Assert.Matches(@"unique shortest path of at least 50 moves was found in 20000 tries \(the longest seen was \d+\)", error.Message);
    }
}
