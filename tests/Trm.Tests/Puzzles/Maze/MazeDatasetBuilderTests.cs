using System.Text.Json.Nodes;
using Trm.Data;
using Trm.Puzzles.Maze;
using static Trm.Tests.Puzzles.Maze.MazeTestData;

namespace Trm.Tests.Puzzles.Maze;

public class MazeDatasetBuilderTests
{
    const int Size = 11;

    static string GenerateCsv(TempDirectory dir, int train = 12, int test = 5)
    {
        var path = dir.File("csv");
        MazeDirectory.Generate(path, new MazeGenerationOptions(Size, MinPath: 20, Seed: 3), train, test);
        return path;
    }

    static MazeGrid Row(TokenMatrix matrix, long row)
    {
        var tokens = new int[Size * Size];
        matrix.CopyRow(row, tokens);
        return MazeGrid.Parse(new string(tokens.Select(t => MazeGrid.Charset[t - 1]).ToArray()));
    }

    [Fact]
    public void PlainBuildHoldsOneExamplePerMazeWithCharsetTokens()
    {
        using var dir = new TempDirectory();
        var csv = GenerateCsv(dir);
        var summary = MazeDatasetBuilder.Build(new MazeBuildOptions(csv, dir.File("data")));
        Assert.Equal(12, summary.Splits["train"].TotalGroups);

        var expected = MazeCsv.Read(Path.Combine(csv, "test.csv")).ToList();
        using var split = PuzzleSplit.Open(dir.File("data"), "test");
        Assert.Equal(6, split.Metadata.VocabSize);
        Assert.Equal(Size * Size, split.Metadata.SeqLen);
        Assert.Equal(0, split.Metadata.IgnoreLabelId);
        Assert.Equal(1, split.Metadata.NumPuzzleIdentifiers);
        var set = Assert.Single(split.Sets);
        Assert.Equal(Enumerable.Range(0, 6), set.GroupIndices);
        Assert.Equal(Enumerable.Range(0, 6), set.PuzzleIndices);
        Assert.All(set.PuzzleIdentifiers, id => Assert.Equal(0, id));
        var row = new int[Size * Size];
        for (int i = 0; i < expected.Count; i++)
        {
            set.Inputs.CopyRow(i, row);
            Assert.Equal(expected[i].Question.ToString().Select(c => "# SGo".IndexOf(c) + 1), row);
            set.Labels.CopyRow(i, row);
            Assert.Equal(expected[i].Answer.ToString().Select(c => "# SGo".IndexOf(c) + 1), row);
        }
        Assert.Equal("<blank>", (string)JsonNode.Parse(File.ReadAllText(dir.File("data/identifiers.json")))![0]!);
    }

    [Fact]
    public void AugmentedTrainMazesAreShortestRoutesThatUndoToTheOriginal()
    {
        using var dir = new TempDirectory();
        var csv = GenerateCsv(dir);
        MazeDatasetBuilder.Build(new MazeBuildOptions(csv, dir.File("data"), Augment: true));
        var originals = MazeCsv.Read(Path.Combine(csv, "train.csv")).ToList();

        using var train = PuzzleSplit.Open(dir.File("data"), "train");
        var set = Assert.Single(train.Sets);
        Assert.Equal(Enumerable.Range(0, 13).Select(g => 8 * g), set.GroupIndices);
        Assert.Equal(8 * 12, set.PuzzleCount);
        for (int g = 0; g < originals.Count; g++)
        {
            var transformed = new HashSet<string>();
            for (int t = 0; t < Dihedral.Count; t++)
            {
                var (question, answer) = (Row(set.Inputs, 8 * g + t), Row(set.Labels, 8 * g + t));
                AssertShortestRoute(question, answer);
                transformed.Add(question.ToString());
                Assert.Equal(originals[g].Question.ToString(), Undo(question, t));
                Assert.Equal(originals[g].Answer.ToString(), Undo(answer, t));
            }
            Assert.True(transformed.Count > 1, "the 8 images of a maze are not all the same");
        }

        using var test = PuzzleSplit.Open(dir.File("data"), "test");
        Assert.Equal(5, test.Metadata.TotalPuzzles);
    }

    static string Undo(MazeGrid grid, int transform)
    {
        var cells = new char[Size, Size];
        for (int i = 0; i < Size * Size; i++) cells[i / Size, i % Size] = grid[i];
        return string.Concat(Dihedral.Apply(cells, Dihedral.Inverse[transform]).Cast<char>());
    }

    [Fact]
    public void SubsampleIsSeededAndWithoutRepeats()
    {
        using var dir = new TempDirectory();
        var csv = GenerateCsv(dir);
        var all = MazeCsv.Read(Path.Combine(csv, "train.csv")).Select(m => m.Question.ToString()).ToList();
        List<string> Subsample(string name, int seed)
        {
            MazeDatasetBuilder.Build(new MazeBuildOptions(csv, dir.File(name), SubsampleSize: 5, Seed: seed));
            using var split = PuzzleSplit.Open(dir.File(name), "train");
            return Enumerable.Range(0, (int)split.Sets[0].ExampleCount).Select(i => Row(split.Sets[0].Inputs, i).ToString()).ToList();
        }
        var first = Subsample("a", 1);
        Assert.Equal(5, first.Distinct().Count());
        Assert.All(first, q => Assert.Contains(q, all));
        Assert.Equal(first, Subsample("b", 1));
        Assert.NotEqual(first, Subsample("c", 2));
    }

    [Fact]
    public void ABadRowFailsNamingItAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var csv = GenerateCsv(dir);
        var testCsv = Path.Combine(csv, "test.csv");
        var lines = File.ReadAllLines(testCsv);
        lines[4] = lines[4].Replace('o', ' ');
        File.WriteAllLines(testCsv, lines);

        var error = Assert.Throws<TrmException>(() => MazeDatasetBuilder.Build(new MazeBuildOptions(csv, dir.File("data"), Augment: true)));
        Assert.StartsWith($"{testCsv}:5: the answer is not a shortest route", error.Message);
        Assert.Equal([csv], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void SplitsOfDifferentSizesAreRefused()
    {
        using var dir = new TempDirectory();
        var csv = GenerateCsv(dir);
        File.Delete(Path.Combine(csv, "test.csv"));
        MazeCsv.Write(Path.Combine(csv, "test.csv"), [new MazeExample("x", Grid(Ring), Grid(RingSolved), "8")]);
        var error = Assert.Throws<TrmException>(() => MazeDatasetBuilder.Build(new MazeBuildOptions(csv, dir.File("data"))));
        Assert.Contains("holds 7x7 mazes but", error.Message);
        Assert.False(Directory.Exists(dir.File("data")));
    }
}
