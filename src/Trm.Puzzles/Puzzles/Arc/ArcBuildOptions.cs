namespace Trm.Puzzles.Arc;

/// <summary>What to build: subsets read from <c>&lt;InputPrefix&gt;_&lt;subset&gt;_challenges.json</c>, the one whose test pairs are held out, and the augmentation count.</summary>
public sealed record ArcBuildOptions(string InputPrefix, IReadOnlyList<string> Subsets, string TestSet, string OutputDirectory, int NumAug = 1000, uint Seed = 42);
