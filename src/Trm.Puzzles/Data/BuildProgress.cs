namespace Trm.Data;

/// <summary>How far a long build is: <paramref name="Done"/> of <paramref name="Total"/> items of <paramref name="Stage"/> (e.g. "train puzzles").</summary>
public readonly record struct BuildProgress(string Stage, long Done, long Total);
