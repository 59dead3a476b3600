namespace Trm.Data;

/// <summary>One split (<c>train</c> or <c>test</c>) of a dataset directory: its metadata and its named sets.</summary>
public sealed record PuzzleSplit(DatasetMetadata Metadata, IReadOnlyDictionary<string, PuzzleSet> Sets);
