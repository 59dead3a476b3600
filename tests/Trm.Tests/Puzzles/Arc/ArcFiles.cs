namespace Trm.Tests.Puzzles.Arc;

/// <summary>Hand-made ARC puzzle files in a temporary folder: <c>&lt;dir&gt;/arc_&lt;subset&gt;_challenges.json</c> and <c>_solutions.json</c>.</summary>
public static class ArcFiles
{
    /// <summary>A puzzle with one demonstration (<paramref name="input"/> -> its colours + 1) and one test input.</summary>
    public static string Puzzle(string id, string input = "[[1, 2], [3, 4]]", string test = "[[5]]") =>
        $$"""
        "{{id}}": {"train": [{"input": {{input}}, "output": [[2, 3], [4, 5]]}], "test": [{"input": {{test}}}]}
        """;

    /// <summary>Writes a subset and returns the prefix to pass as the input prefix.</summary>
    public static string Write(TempDirectory directory, string subset, string puzzles, string? solutions)
    {
        var prefix = directory.File("arc");
        File.WriteAllText($"{prefix}_{subset}_challenges.json", "{" + puzzles + "}");
        if (solutions is not null) File.WriteAllText($"{prefix}_{subset}_solutions.json", "{" + solutions + "}");
        return prefix;
    }

    public static string Big(int rows, int columns) =>
        "[" + string.Join(", ", Enumerable.Repeat("[" + string.Join(", ", Enumerable.Repeat(1, columns)) + "]", rows)) + "]";
}
