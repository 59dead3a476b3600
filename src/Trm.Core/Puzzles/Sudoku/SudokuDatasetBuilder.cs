using Trm.Data;

namespace Trm.Puzzles.Sudoku;

/// <summary>
/// How to turn Sudoku CSVs into a dataset, as the reference's <c>build_sudoku_dataset.py</c>: keep rows
/// rated at least <see cref="MinDifficulty"/> (both splits), keep a seeded random <see cref="SubsampleSize"/>
/// of the training rows (in file order), and add <see cref="NumAug"/> random transforms of each training puzzle.
/// </summary>
public sealed record SudokuDatasetOptions
{
    public int? SubsampleSize { get; init; }
    public int? MinDifficulty { get; init; }
    public int NumAug { get; init; }
    public int Seed { get; init; }
}

/// <summary>
/// Writes Sudoku puzzles in the reference's dataset layout: each original and its augmentations form one
/// group, each puzzle is one example with identifier 0. Tokens: digit + 1 (0 pad, 1 blank), vocabulary
/// Size + 2 (11 for 9x9), seq_len Size*Size, labels never 0, so <c>ignore_label_id</c> 0 ignores nothing.
/// </summary>
public static class SudokuDatasetBuilder
{
    /// <summary>The token layout of <paramref name="geometry"/>'s datasets; counts are filled in when a split completes.</summary>
    public static DatasetMetadata Layout(SudokuGeometry geometry) => new()
    {
        PadId = 0, IgnoreLabelId = 0, BlankIdentifierId = 0, VocabSize = geometry.Size + 2, SeqLen = geometry.CellCount, NumPuzzleIdentifiers = 1,
    };

    /// <summary>Builds <paramref name="outputDirectory"/> from <paramref name="inputDirectory"/>/train.csv and test.csv (<see cref="SudokuCsv"/> layout).</summary>
    /// <exception cref="TrmException">A bad or missing CSV, splits of different sizes, or a split the filter leaves empty; nothing is written.</exception>
    public static DatasetSummary Build(string inputDirectory, string outputDirectory, SudokuDatasetOptions options, IProgress<BuildProgress>? progress = null)
    {
        Validate(options);
        var train = new CsvSplit(Path.Combine(inputDirectory, "train.csv"), options.MinDifficulty);
        var test = new CsvSplit(Path.Combine(inputDirectory, "test.csv"), options.MinDifficulty);
        if (test.Geometry != train.Geometry)
            throw new TrmException($"{test.Path} holds {test.Geometry} puzzles but {train.Path} holds {train.Geometry}; both splits must have one size.");
        return Write(train.Geometry, train.Puzzles, train.Count, test.Puzzles, test.Count, outputDirectory, options, progress);
    }

    /// <summary>Builds <paramref name="outputDirectory"/> from puzzles in memory, e.g. straight from <see cref="SudokuGenerator.Generate"/>.</summary>
    public static DatasetSummary Build(SudokuSplits splits, string outputDirectory, SudokuDatasetOptions options, IProgress<BuildProgress>? progress = null)
    {
        Validate(options);
        var train = Filter(splits.Train, options.MinDifficulty).ToList();
        var test = Filter(splits.Test, options.MinDifficulty).ToList();
        if (train.Count == 0 || test.Count == 0)
            throw new TrmException($"the {(train.Count == 0 ? "train" : "test")} split has no puzzle{(options.MinDifficulty is { } floor ? $" rated {floor} or more" : "")}.");
        var geometry = train[0].Geometry;
        if (train.Concat(test).Any(p => p.Geometry != geometry)) throw new TrmException("the puzzles must all have one size.");
        return Write(geometry, train, train.Count, test, test.Count, outputDirectory, options, progress);
    }

    static void Validate(SudokuDatasetOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.NumAug);
        if (options.SubsampleSize is { } size) ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
    }

    static IEnumerable<SudokuPuzzle> Filter(IEnumerable<SudokuPuzzle> puzzles, int? minDifficulty) =>
        minDifficulty is { } floor ? puzzles.Where(p => p.Rating >= floor) : puzzles;

    /// <summary>A split read from a CSV twice: once to count what the filter keeps (and check every line), once to write.</summary>
    sealed class CsvSplit
    {
        readonly int? minDifficulty;

        public string Path { get; }
        public int Count { get; }
        public SudokuGeometry Geometry { get; }

        public CsvSplit(string path, int? minDifficulty)
        {
            (Path, this.minDifficulty) = (path, minDifficulty);
            int rows = 0;
            SudokuGeometry? geometry = null;
            foreach (var puzzle in SudokuCsv.Read(path))
            {
                rows++;
                geometry ??= puzzle.Geometry;
                if (minDifficulty is not { } floor || puzzle.Rating >= floor) Count++;
            }
            if (Count == 0)
                throw new TrmException(rows == 0 ? $"{path} holds no puzzles." : $"{path}: none of its {rows} puzzles is rated {minDifficulty} or more.");
            Geometry = geometry!;
        }

        public IEnumerable<SudokuPuzzle> Puzzles => Filter(SudokuCsv.Read(Path), minDifficulty);
    }

    static DatasetSummary Write(SudokuGeometry geometry, IEnumerable<SudokuPuzzle> train, int trainCount, IEnumerable<SudokuPuzzle> test, int testCount,
        string outputDirectory, SudokuDatasetOptions options, IProgress<BuildProgress>? progress)
    {
        var random = new Random(options.Seed);
        if (options.SubsampleSize is { } size && size < trainCount)
        {
            var keep = Subsample(trainCount, size, random);
            train = train.Where((_, i) => keep[i]);
            trainCount = size;
        }
        var layout = Layout(geometry);
        using var writer = new DatasetWriter(outputDirectory);
        WriteSplit(writer.BeginSplit("train", layout), train, trainCount, options.NumAug, random, "train puzzles", progress);
        WriteSplit(writer.BeginSplit("test", layout), test, testCount, 0, random, "test puzzles", progress);
        writer.WriteJson("identifiers.json", new[] { "<blank>" });
        return writer.Commit();
    }

    /// <summary>Marks <paramref name="size"/> of <paramref name="count"/> rows, drawn without replacement (a partial Fisher-Yates shuffle).</summary>
    static bool[] Subsample(int count, int size, Random random)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        var keep = new bool[count];
        for (int i = 0; i < size; i++)
        {
            int j = random.Next(i, count);
            (indices[i], indices[j]) = (indices[j], indices[i]);
            keep[indices[i]] = true;
        }
        return keep;
    }

    static void WriteSplit(SplitWriter split, IEnumerable<SudokuPuzzle> puzzles, int count, int numAug, Random random, string stage, IProgress<BuildProgress>? progress)
    {
        int done = 0;
        progress?.Report(new BuildProgress(stage, 0, count));
        foreach (var puzzle in puzzles)
        {
            AddPuzzle(split, puzzle.Question, puzzle.Answer);
            for (int a = 0; a < numAug; a++)
            {
                var (question, answer) = SudokuTransform.Shuffle(puzzle.Question, puzzle.Answer, random);
                AddPuzzle(split, question, answer);
            }
            split.EndGroup();
            done++;
            progress?.Report(new BuildProgress(stage, done, count));
        }
    }

    /// <summary>One puzzle of one example: tokens digit + 1, so a blank is 1.</summary>
    static void AddPuzzle(SplitWriter split, SudokuGrid question, SudokuGrid answer)
    {
        Span<byte> input = stackalloc byte[question.Geometry.CellCount];
        Span<byte> label = stackalloc byte[question.Geometry.CellCount];
        for (int i = 0; i < input.Length; i++) (input[i], label[i]) = ((byte)(question[i] + 1), (byte)(answer[i] + 1));
        split.AddExample(input, label);
        split.EndPuzzle(0);
    }
}
