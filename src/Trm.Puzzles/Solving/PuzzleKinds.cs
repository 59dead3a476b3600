using System.Text.Json;
using Trm.IO;
using Trm.Puzzles;
using Trm.Puzzles.Arc;
using Trm.Puzzles.Maze;
using Trm.Puzzles.Sudoku;

namespace Trm.Solving;

/// <summary>The puzzle kinds this library knows, by name: the one registration a new kind needs (docs/ARCHITECTURE.md).</summary>
public static class PuzzleKinds
{
    public static IReadOnlyList<IPuzzleKind> All { get; } = [SudokuKind.Instance, MazeKind.Instance, ArcKind.Instance];

    /// <summary>The kind called <paramref name="name"/> (<c>sudoku</c>, <c>maze</c>, <c>arc</c>), or null.</summary>
    public static IPuzzleKind? Named(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>Reads a solve record file (what <see cref="SolveRecord.Write"/> wrote: one record object) and checks it field by field:
    /// every error names the file, the field (e.g. <c>steps[3].answer</c>) and what it should hold.</summary>
    public static SolveRecord ReadRecord(string path)
    {
        if (UserFile.IsMissing(path)) throw new TrmException($"{path} not found: pass a JSON file of solve records.");
        using var document = JsonFile.ReadDocument(path, SolveRecord.MaxFileBytes, "a solve record");
        return ReadRecord(document.RootElement, path);
    }

    /// <param name="source">Names the JSON in errors (a path).</param>
    public static SolveRecord ReadRecord(JsonElement root, string source)
    {
        var names = $"{string.Join(", ", All.SkipLast(1).Select(k => k.Name))} or {All[^1].Name}";
        if (root.ValueKind != JsonValueKind.Object)
            throw new TrmException($"{source}: expected an object with a \"kind\" ({names}), found {JsonFile.Describe(root)}.");
        var name = RecordFields.String(root, "kind", source);
        var kind = Named(name) ?? throw new TrmException($"{source}: kind \"{name}\" is not one this program draws; use {names}.");
        return kind.ReadRecord(root, source) with { Runs = RecordFields.Runs(root, source) };
    }
}
