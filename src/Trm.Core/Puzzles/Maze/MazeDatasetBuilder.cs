using Trm.Data;

namespace Trm.Puzzles.Maze;

/// <summary>
/// Options of <see cref="MazeDatasetBuilder.Build"/>: <see cref="SubsampleSize"/> keeps that many train mazes chosen
/// by <see cref="Seed"/> (all when the file has no more); <see cref="Augment"/> adds the 7 other dihedral images of
/// every train maze.
/// </summary>
public sealed record MazeBuildOptions(string InputDirectory, string OutputDirectory, int? SubsampleSize = null, bool Augment = false, int Seed = 0);

/// <summary>
/// Converts a maze directory (train.csv, test.csv) into the reference's dataset layout, as its
/// <c>build_maze_dataset.py</c> does: one example per puzzle, tokens <c># SGo</c> -> 1..5 (0 pad), seq_len
/// size², one puzzle identifier (0, <c>&lt;blank&gt;</c>). A group is a maze and, in train with
/// <see cref="MazeBuildOptions.Augment"/>, its 8 dihedral images (transform 0 first); test is never augmented.
/// </summary>
public static class MazeDatasetBuilder
{
    const int VocabSize = 6;  // pad + "# SGo"

    public static DatasetSummary Build(MazeBuildOptions options, IProgress<BuildProgress>? progress = null)
    {
        if (options.SubsampleSize is <= 0) throw new TrmException($"subsample size {options.SubsampleSize} must be positive.");
        if (!Directory.Exists(options.InputDirectory))
            throw new TrmException($"{options.InputDirectory} not found: expected a directory with {MazeDirectory.TrainFile} and {MazeDirectory.TestFile}.");
        var trainPath = Path.Combine(options.InputDirectory, MazeDirectory.TrainFile);
        var testPath = Path.Combine(options.InputDirectory, MazeDirectory.TestFile);

        // A first pass checks every row and finds the counts and the size before anything is written.
        var (trainRows, trainSize) = Survey(trainPath);
        var (testRows, testSize) = Survey(testPath);
        if (trainRows == 0 && testRows == 0) throw new TrmException($"{options.InputDirectory}: both CSV files are empty; there is nothing to build.");
        if (trainRows > 0 && testRows > 0 && trainSize != testSize)
            throw new TrmException($"{testPath} holds {testSize}x{testSize} mazes but {trainPath} holds {trainSize}x{trainSize}; both splits need one size.");
        int size = trainRows > 0 ? trainSize : testSize;
        var keep = SubsampleMask(trainRows, options.SubsampleSize, options.Seed);

        var layout = new DatasetMetadata
        {
            PadId = 0, IgnoreLabelId = 0, BlankIdentifierId = 0, VocabSize = VocabSize, SeqLen = size * size, NumPuzzleIdentifiers = 1,
        };
        using var writer = new DatasetWriter(options.OutputDirectory);
        Convert(writer.BeginSplit("train", layout), trainPath, keep, keep?.Count(k => k) ?? trainRows, options.Augment ? Dihedral.Count : 1, "train mazes", progress);
        Convert(writer.BeginSplit("test", layout), testPath, null, testRows, 1, "test mazes", progress);
        writer.WriteJson("identifiers.json", new[] { "<blank>" });
        return writer.Commit();
    }

    static (int Rows, int Size) Survey(string path)
    {
        int rows = 0, size = 0;
        foreach (var example in MazeCsv.Read(path)) (rows, size) = (rows + 1, example.Question.Size);
        return (rows, size);
    }

    /// <summary>Which of <paramref name="rows"/> train rows to keep (null: all), a seeded choice without replacement.</summary>
    static bool[]? SubsampleMask(int rows, int? subsample, int seed)
    {
        if (subsample is not { } wanted || wanted >= rows) return null;
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var keep = new bool[rows];
        foreach (var row in order.Take(wanted)) keep[row] = true;
        return keep;
    }

    /// <summary>Writes the rows of <paramref name="path"/> that <paramref name="keep"/> selects (null: all), each as a group of <paramref name="transforms"/> puzzles.</summary>
    static void Convert(SplitWriter split, string path, bool[]? keep, int total, int transforms, string stage, IProgress<BuildProgress>? progress)
    {
        int row = 0, done = 0;
        progress?.Report(new BuildProgress(stage, 0, total));
        foreach (var example in MazeCsv.Read(path))
        {
            bool kept = keep?[row] ?? true;
            row++;
            if (!kept) continue;
            for (int t = 0; t < transforms; t++)
            {
                split.AddExample(example.Question.Transform(t).ToTokens(), example.Answer.Transform(t).ToTokens());
                split.EndPuzzle(0);
            }
            split.EndGroup();
            progress?.Report(new BuildProgress(stage, ++done, total));
        }
    }
}
