using Trm.Configuration;
using Trm.Model;

namespace Trm.Benchmarking;

/// <summary>
/// A configuration to benchmark: a training config (model, optimizers, EMA) and the data shape it trains on
/// (<see cref="SeqLen"/>, <see cref="VocabSize"/>, <see cref="NumPuzzleIdentifiers"/>), with a default batch for
/// this kind of machine and a smaller one for quick runs. <see cref="LongSequence"/> presets are skipped by a
/// quick run over all presets. The loader's dataset has <see cref="Groups"/> groups of <see cref="PuzzlesPerGroup"/>
/// one-example puzzles.
/// </summary>
public sealed record BenchmarkPreset(string Name, TrainConfig Config, int SeqLen, int VocabSize, int NumPuzzleIdentifiers,
    int Batch, int QuickBatch, bool LongSequence = false, int Groups = 1000, int PuzzlesPerGroup = 4)
{
    /// <summary>The model configuration in <paramref name="dtype"/> (null: the config's forward_dtype).</summary>
    public TrmConfig ModelConfig(ForwardDtype? dtype = null)
    {
        var arch = dtype is null ? Config.Arch : Config.Arch with { Model = Config.Arch.Model with { ForwardDtype = dtype.Value } };
        return arch.ModelFor(SeqLen, VocabSize, NumPuzzleIdentifiers);
    }
}

/// <summary>
/// The built-in presets: the paper's model configs (<c>configs/*.yaml</c>) at their tasks' data shapes, the small CPU
/// preset, and HRM on Sudoku for the comparison. Batches suit a CPU (the paper trains with 768 on GPUs); <see cref="BenchmarkSettings.Batch"/> sets others.
/// </summary>
public static class BenchmarkPresets
{
    /// <summary>Benchmark preset name -> (config preset, seq_len, vocab, puzzle identifiers, batch, quick batch, long sequence).</summary>
    static readonly (string Name, string Config, int SeqLen, int Vocab, int Identifiers, int Batch, int QuickBatch, bool Long)[] Table =
    [
        ("sudoku-att", "sudoku-att", 81, 11, 1, 16, 2, false),
        ("sudoku-mlp", "sudoku-mlp", 81, 11, 1, 16, 2, false),
        ("maze", "maze", 900, 6, 1, 2, 1, true),
        ("arc", "arc1", 900, 12, 4001, 2, 1, true),      // the real ARC table has ~876k rows (1.8 GB); 4000 puzzles here
        ("sudoku4-cpu", "sudoku4-cpu", 16, 6, 1, 64, 64, false),
        ("hrm-sudoku", "hrm-sudoku", 81, 11, 1, 16, 2, false),
    ];

    public static IReadOnlyList<string> Names { get; } = Table.Select(t => t.Name).ToList();

    public static BenchmarkPreset Get(string name)
    {
        var row = Table.FirstOrDefault(t => t.Name == name);
        if (row.Name is null) throw new TrmException($"no benchmark preset '{name}'. Presets: {string.Join(", ", Names)}.");
        var config = Presets.Load(row.Config, []);
        return new BenchmarkPreset(row.Name, config, row.SeqLen, row.Vocab, row.Identifiers, row.Batch, row.QuickBatch, row.Long);
    }
}
