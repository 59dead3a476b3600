using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeCsvTests
{
    static readonly string Question = string.Concat(Ring), Answer = string.Concat(RingSolved);

    static string WriteLines(TempDirectory dir, params string[] rows)
    {
        var path = dir.File("train.csv");
        File.WriteAllLines(path, [MazeCsv.Header, .. rows]);
        return path;
    }

    static string ErrorOf(string path) => Assert.Throws<TrmException>(() => MazeCsv.Read(path).ToList()).Message;

    [Fact]
    public void WritesAndReadsBack()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mazes.csv");
        var example = new MazeExample("lab, \"hard\"", Grid(Ring), Grid(RingSolved), "8");
        Assert.Equal(2, MazeCsv.Write(path, [example, example with { Source = "plain" }]));
        Assert.Equal($"plain,{Question},{Answer},8", File.ReadAllLines(path)[2]);
        var read = MazeCsv.Read(path).ToList();
        Assert.Equal(["lab, \"hard\"", "plain"], read.Select(r => r.Source));
        Assert.Equal(Answer, read[0].Answer.ToString());
        Assert.Equal("8", read[1].Rating);
    }

    [Fact]
    public void AFailedWriteLeavesNoFile()
    {
        using var dir = new TempDirectory();
        IEnumerable<MazeExample> Failing()
        {
            yield return new MazeExample("a", Grid(Ring), Grid(RingSolved), "8");
            throw new TrmException("generator failed");
        }
        Assert.Throws<TrmException>(() => MazeCsv.Write(dir.File("mazes.csv"), Failing()));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ExistingFileIsNotOverwritten()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir);
        Assert.Contains("already exists", Assert.Throws<TrmException>(() => MazeCsv.Write(path, [])).Message);
    }

    [Fact]
    public void WrongFieldCountNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question},{Answer},8", $"a,{Question},{Answer}");
        Assert.Equal($"{path}:3: expected 4 fields (source,question,answer,rating), found 3.", ErrorOf(path));
    }

    [Fact]
    public void QuestionAndAnswerOfDifferentLengthsAreNamed()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question},{Answer}#,8");
        Assert.Equal($"{path}:2: the question has 49 cells, the answer 50.", ErrorOf(path));
    }

    [Fact]
    public void NonSquareGridIsNamed()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question}#,{Answer}#,8");
        Assert.Equal($"{path}:2: question: 50 cells is not a square grid.", ErrorOf(path));
    }

    [Fact]
    public void CharacterOutsideTheCharsetIsNamed()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question},{Answer.Replace('o', '.')},8");
        Assert.Equal($"{path}:2: answer: character '.' at row 2, column 3 is not one of '# SGo'.", ErrorOf(path));
    }

    [Fact]
    public void MazesOfDifferentSizesAreNamed()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question},{Answer},8", "b,S  G,So G,2");
        Assert.Equal($"{path}:3: a 2x2 maze, but line 2 holds a 7x7 one; all mazes of a file must have one size.", ErrorOf(path));
    }

    [Fact]
    public void AnAnswerThatIsNotAShortestRouteIsNamed()
    {
        using var dir = new TempDirectory();
        var path = WriteLines(dir, $"a,{Question},{Question},8");
        Assert.Equal($"{path}:2: the answer is not a shortest route: the answer marks 0 path cells, a shortest route has 7.", ErrorOf(path));
    }

    [Fact]
    public void AWrongHeaderIsNamed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("test.csv");
        File.WriteAllLines(path, ["question,answer", $"{Question},{Answer}"]);
        Assert.Equal($"{path}:1: the header is 'question,answer', expected 'source,question,answer,rating' (the Maze-Hard layout).", ErrorOf(path));
    }
}
