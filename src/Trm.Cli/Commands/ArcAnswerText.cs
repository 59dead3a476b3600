using System.Text;
using Trm.Puzzles.Arc;

namespace Trm.Cli.Commands;

/// <summary>
/// Prints an ARC task's answers for a terminal: per test input the input, both attempts and the expected output as
/// digit grids side by side, then each attempt's votes and whether it is correct, and the un-augmented copy's steps.
/// </summary>
public static class ArcAnswerText
{
    const string Gap = "   ", Indent = "  ";

    public static void Write(TextWriter output, ArcTaskAnswer answer, int maxSteps)
    {
        for (int t = 0; t < answer.Tests.Count; t++)
        {
            var test = answer.Tests[t];
            output.WriteLine($"test input {t + 1} of {answer.Tests.Count} ({Size(test.Input)}):");
            var blocks = new List<(string Title, byte[,] Grid)> { ("input", test.Input) };
            blocks.AddRange(test.Attempts.Select((grid, i) => ($"attempt {i + 1}", grid)));
            if (test.Expected is not null) blocks.Add(("expected", test.Expected));
            WriteSideBySide(output, blocks);

            for (int i = 0; i < test.Attempts.Count; i++)
            {
                var verdict = test.IsCorrect(i) switch { true => ", correct", false => ", wrong", null => "" };
                if (i >= test.Candidates.Count)
                {
                    output.WriteLine($"{Indent}attempt {i + 1}: attempt 1 again (only {test.Candidates.Count} distinct answer{(test.Candidates.Count == 1 ? "" : "s")}){verdict}");
                    continue;
                }
                var candidate = test.Candidates[i];
                output.WriteLine($"{Indent}attempt {i + 1}: {Size(candidate.Grid)}, {candidate.Votes} of {test.Votes} votes, mean halt confidence {candidate.MeanHaltProbability:P1}{verdict}");
            }
            if (test.Candidates.Count > test.Attempts.Count)
                output.WriteLine($"{Indent}{test.Candidates.Count} distinct answers; the others got " +
                    string.Join(", ", test.Candidates.Skip(test.Attempts.Count).Take(5).Select(c => $"{c.Votes}")) +
                    (test.Candidates.Count - test.Attempts.Count > 5 ? ", ..." : "") + " votes");
            if (test.Steps.Count > 0)
                output.WriteLine($"{Indent}un-augmented copy: {test.Steps.Count} of at most {maxSteps} steps, halt confidence {test.Steps[^1].HaltProbability:P1}, " +
                    $"its answer {Size(test.Steps[^1].Answer)}");
        }
        var scored = answer.Tests.Where(t => t.Solved is not null).ToList();
        if (scored.Count > 0)
            output.WriteLine($"solved {scored.Count(t => t.Solved == true)} of {scored.Count} test input{(scored.Count == 1 ? "" : "s")} with an expected output (pass@2)");
    }

    /// <summary>Grids as rows of digits, side by side under their titles; an empty grid (nothing decodable) shows as "(empty)".</summary>
    static void WriteSideBySide(TextWriter output, IReadOnlyList<(string Title, byte[,] Grid)> blocks)
    {
        var columns = blocks.Select(b => (b.Title, Lines: Lines(b.Grid))).ToList();
        var widths = columns.Select(c => Math.Max(c.Title.Length, c.Lines.Max(l => l.Length))).ToList();
        int height = columns.Max(c => c.Lines.Count);
        output.WriteLine(Row(columns.Select(c => c.Title).ToList(), widths));
        for (int r = 0; r < height; r++) output.WriteLine(Row(columns.Select(c => r < c.Lines.Count ? c.Lines[r] : "").ToList(), widths));
    }

    static string Row(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        (Indent + string.Join(Gap, cells.Select((cell, i) => cell.PadRight(widths[i])))).TrimEnd();

    static List<string> Lines(byte[,] grid)
    {
        if (grid.Length == 0) return ["(empty)"];
        var lines = new List<string>(grid.GetLength(0));
        for (int r = 0; r < grid.GetLength(0); r++)
        {
            var line = new StringBuilder(grid.GetLength(1));
            for (int c = 0; c < grid.GetLength(1); c++) line.Append((char)('0' + grid[r, c]));
            lines.Add(line.ToString());
        }
        return lines;
    }

    static string Size(byte[,] grid) => $"{grid.GetLength(0)}x{grid.GetLength(1)}";
}
