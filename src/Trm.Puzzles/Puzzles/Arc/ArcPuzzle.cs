using System.Text.Json.Serialization;

namespace Trm.Puzzles.Arc;

/// <summary>One ARC example: an input grid and its output grid, each (rows, columns) of colours 0..9.</summary>
public sealed record ArcPair(
    [property: JsonPropertyName("input"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Input,
    [property: JsonPropertyName("output"), JsonConverter(typeof(ArcGridJsonConverter))] byte[,] Output);

/// <summary>
/// One ARC puzzle: demonstration pairs and test pairs (their outputs from the solutions file, or a dummy [[0]]
/// when there is none). Serializes as one entry of a challenges file with the solutions merged in.
/// <paramref name="TestListedFirst"/>: the file lists "test" before "train" (as ARC Prize's files do).
/// </summary>
public sealed record ArcPuzzle(
    [property: JsonIgnore] string Id,
    [property: JsonPropertyName("train")] IReadOnlyList<ArcPair> Train,
    [property: JsonPropertyName("test")] IReadOnlyList<ArcPair> Test,
    [property: JsonIgnore] bool TestListedFirst = false)
{
    /// <summary>Every pair, in the order the file lists the two lists: the reference's order for a puzzle whose pairs all go to train/.</summary>
    [JsonIgnore] public IEnumerable<ArcPair> AllPairs => TestListedFirst ? Test.Concat(Train) : Train.Concat(Test);
}

/// <summary>
/// One task read for solving: the puzzle (a test pair without an output holds <see cref="ArcPuzzleReader.DummyOutput"/>)
/// and per test input the expected output the file (or the solutions file beside it) gives, or null.
/// </summary>
public sealed record ArcTask(ArcPuzzle Puzzle, IReadOnlyList<byte[,]?> Expected)
{
    public string Id => Puzzle.Id;
}

/// <summary>The puzzles of one subset (e.g. <c>training</c>) in file order, and whether its solutions file was found.</summary>
public sealed record ArcSubset(string Name, IReadOnlyList<ArcPuzzle> Puzzles, bool HasSolutions);
