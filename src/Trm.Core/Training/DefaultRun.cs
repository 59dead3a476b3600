using Trm.Configuration;
using Trm.Data;
using Trm.Puzzles.Sudoku;

namespace Trm.Training;

/// <summary>
/// <c>trm train</c> with no arguments: the <c>sudoku4-cpu</c> preset on a 4x4 Sudoku dataset that is
/// generated on first use (no download): 1000 training puzzles with 7 augmentations each and 1000 test
/// puzzles, none equivalent to a training puzzle.
/// </summary>
public static class DefaultRun
{
    public const string Preset = "sudoku4-cpu";
    public const int Size = 4, TrainPuzzles = 1000, TestPuzzles = 1000, Augmentations = 7, Seed = 0;

    public static TrainConfig Config(IEnumerable<string> overrides) => Presets.Load(Preset, overrides);

    /// <summary>
    /// Generates and builds the dataset at the config's first data path unless it exists; returns what was done. Only the
    /// preset's own dataset directory is generated: another path that does not exist is left for the caller to refuse.
    /// </summary>
    public static string? EnsureData(TrainConfig config, IProgress<BuildProgress>? progress = null)
    {
        var directory = config.DataPaths[0];
        if (Directory.Exists(directory) || Path.GetFullPath(directory) != Path.GetFullPath(Config([]).DataPaths[0])) return null;
        var splits = SudokuGenerator.Generate(new SudokuGenerationOptions { Size = Size, Train = TrainPuzzles, Test = TestPuzzles, Seed = Seed }, progress);
        var summary = SudokuDatasetBuilder.Build(splits, directory, new SudokuDatasetOptions { NumAug = Augmentations, Seed = Seed }, progress);
        return $"generated {TrainPuzzles} + {TestPuzzles} 4x4 Sudoku puzzles:\n{summary}";
    }
}
