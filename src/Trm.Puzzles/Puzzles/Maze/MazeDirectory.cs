using System.Globalization;
using Trm.Data;
using Trm.IO;

namespace Trm.Puzzles.Maze;

/// <summary>What <see cref="MazeDirectory.Generate"/> wrote; path lengths are moves from S to G over both files.</summary>
public sealed record MazeGenerationSummary(string Directory, int Size, int Train, int Test, double MeanPath, int ShortestPath, int LongestPath, long Attempts)
{
    public override string ToString() =>
        $"  train: {Train} mazes, test: {Test} mazes, {Size}x{Size}\n" +
        $"  shortest path (moves S to G): mean {MeanPath:F1}, min {ShortestPath}, max {LongestPath}\n" +
        $"  {Attempts} mazes carved, wrote {Directory}";
}

/// <summary>A maze directory as the builder reads it: <c>train.csv</c> and <c>test.csv</c> in the Maze-Hard layout.</summary>
public static class MazeDirectory
{
    public const string TrainFile = "train.csv", TestFile = "test.csv";

    /// <summary>
    /// Generates <paramref name="train"/> + <paramref name="test"/> distinct mazes (none shared between the files, even
    /// up to rotation or reflection) into <paramref name="outputDirectory"/>, written in a temporary sibling renamed at
    /// the end; refuses an existing directory.
    /// </summary>
    public static MazeGenerationSummary Generate(string outputDirectory, MazeGenerationOptions options, int train, int test,
        IProgress<BuildProgress>? progress = null)
    {
        if (train < 0 || test < 0) throw new TrmException($"maze counts must not be negative (train {train}, test {test}).");
        outputDirectory = Path.GetFullPath(outputDirectory);
        AtomicOutput.RequireAbsent(outputDirectory);
        var generator = new MazeGenerator(options);
        var lengths = new List<int>(train + test);
        AtomicOutput.WriteDirectory(outputDirectory, temporary =>
        {
            IEnumerable<MazeExample> Mazes(string stage, int total)
            {
                progress?.Report(new BuildProgress(stage, 0, total));
                for (int i = 0; i < total; i++)
                {
                    var maze = generator.Next();
                    lengths.Add(int.Parse(maze.Rating, CultureInfo.InvariantCulture));
                    progress?.Report(new BuildProgress(stage, i + 1, total));
                    yield return maze;
                }
            }
            MazeCsv.Write(Path.Combine(temporary, TrainFile), Mazes("train mazes", train));
            MazeCsv.Write(Path.Combine(temporary, TestFile), Mazes("test mazes", test));
        });
        return new MazeGenerationSummary(outputDirectory, options.Size, train, test,
            lengths.Count == 0 ? 0 : lengths.Average(), lengths.DefaultIfEmpty().Min(), lengths.DefaultIfEmpty().Max(), generator.Attempts);
    }
}
