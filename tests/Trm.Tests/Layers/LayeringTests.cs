using System.Text.RegularExpressions;

namespace Trm.Tests.Layers;

/// <summary>
/// The library's layers (docs/ARCHITECTURE.md), bottom to top: a namespace may use its own layer's and lower
/// layers' namespaces, never a higher one, so the folders form no cycle. Namespaces of one layer do not use
/// each other either (the puzzle kinds stay independent).
/// </summary>
public partial class LayeringTests
{
    public static readonly string[][] Layers =
    [
        ["Trm"],
        ["Trm.IO", "Trm.Logging"],
        ["Trm.Model"],
        ["Trm.Data", "Trm.Distributed"],
        ["Trm.Puzzles.Sudoku", "Trm.Puzzles.Maze", "Trm.Puzzles.Arc"],
        ["Trm.Configuration"],
        ["Trm.Checkpoints"],
        ["Trm.Solving"],
        ["Trm.Evaluation"],
        ["Trm.Training"],
        ["Trm.Inference"],
        ["Trm.Rendering", "Trm.Benchmarking", "Trm.Verification"],
    ];

    static string CoreDirectory => Path.Combine(TestPaths.RepositoryRoot, "src", "Trm.Core");

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (?:static )?(Trm(?:\.\w+)*)(?:\.\w+)?;", RegexOptions.Multiline)]
    private static partial Regex TrmUsing();

    [GeneratedRegex(@"(?<![\w.])(Trm\.[A-Z]\w*(?:\.[A-Z]\w*)*)")]
    private static partial Regex QualifiedName();

    static int LayerOf(string ns)
    {
        for (int i = 0; i < Layers.Length; i++)
            if (Layers[i].Contains(ns)) return i;
        return -1;
    }

    /// <summary>The namespace a using line or qualified name refers to: its longest prefix that is a known namespace.</summary>
    static string? KnownNamespace(string name)
    {
        for (var candidate = name; candidate.Length > 0; candidate = candidate.Contains('.') ? candidate[..candidate.LastIndexOf('.')] : "")
            if (LayerOf(candidate) >= 0) return candidate;
        return null;
    }

    static IEnumerable<(string File, string Namespace, string Used)> References()
    {
        foreach (var file in Directory.EnumerateFiles(CoreDirectory, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            var ns = NamespaceLine().Match(text).Groups[1].Value;
            var used = TrmUsing().Matches(text).Select(m => m.Groups[1].Value)
                .Concat(QualifiedName().Matches(NamespaceLine().Replace(text, "")).Select(m => m.Groups[1].Value));
            foreach (var name in used)
                yield return (Path.GetRelativePath(CoreDirectory, file), ns, KnownNamespace(name) ?? name);
        }
    }

    [Fact]
    public void EveryNamespaceOfTheLibraryHasALayer()
    {
        var unplaced = References().Select(r => r.Namespace).Distinct().Where(ns => LayerOf(ns) < 0).ToList();
        Assert.True(unplaced.Count == 0, $"namespaces without a layer (add them to docs/ARCHITECTURE.md and this test): {string.Join(", ", unplaced)}");
        var unknown = References().Where(r => LayerOf(r.Used) < 0).Select(r => $"{r.File} uses {r.Used}").Distinct().ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    [Fact]
    public void NoNamespaceUsesOneAboveItOrBesideIt()
    {
        var upward = References()
            .Where(r => r.Used != r.Namespace && !r.Namespace.StartsWith(r.Used + ".", StringComparison.Ordinal) && LayerOf(r.Used) >= LayerOf(r.Namespace))
            .Select(r => $"{r.File} ({r.Namespace}, layer {LayerOf(r.Namespace)}) uses {r.Used} (layer {LayerOf(r.Used)})")
            .Distinct().ToList();
        Assert.True(upward.Count == 0, "upward or sideways dependencies:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void TheCheckSeesAnUpwardUsing()
    {
        // Guards the scanner itself: a file that imports a higher layer must be reported.
        var text = "using Trm.Training;\nnamespace Trm.Model;\n";
        Assert.Equal("Trm.Training", TrmUsing().Match(text).Groups[1].Value);
        Assert.Equal("Trm.Evaluation", KnownNamespace("Trm.Evaluation.ArcEvaluator"));
        Assert.True(LayerOf("Trm.Training") > LayerOf("Trm.Model"));
    }
}
