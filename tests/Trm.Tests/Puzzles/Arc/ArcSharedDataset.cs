using Trm.Puzzles.Arc;

namespace Trm.Tests.Puzzles.Arc;

/// <summary>
/// The paper's ARC-AGI-1 recipe (training + evaluation + concept, evaluation held out) on the puzzle files in TestData
/// with 2 augmentations per puzzle, built once for a test class. Also reads the original puzzles back for comparison.
/// </summary>
public sealed class ArcSharedDataset : IDisposable
{
    public const int NumAug = 2;
    public static readonly string[] Subsets = ["training", "evaluation", "concept"];
    public static string Prefix => Path.Combine(TestPaths.Arc, "arc-agi");

    readonly TempDirectory temporary = new();

    public string Directory { get; }
    public ArcBuildResult Result { get; }

    /// <summary>Original puzzles by id, solutions merged; and the ids of the held-out subset.</summary>
    public IReadOnlyDictionary<string, ArcPuzzle> Originals { get; }
    public IReadOnlySet<string> TestPuzzleIds { get; }

    public ArcSharedDataset()
    {
        Directory = temporary.File("arc");
        Result = ArcDatasetBuilder.Build(new ArcBuildOptions(Prefix, Subsets, "evaluation", Directory, NumAug));
        var subsets = Subsets.Select(s => ArcPuzzleReader.ReadSubset(Prefix, s)).ToList();
        Originals = subsets.SelectMany(s => s.Puzzles).ToDictionary(p => p.Id);
        TestPuzzleIds = subsets.Single(s => s.Name == "evaluation").Puzzles.Select(p => p.Id).ToHashSet();
    }

    public void Dispose() => temporary.Dispose();
}
