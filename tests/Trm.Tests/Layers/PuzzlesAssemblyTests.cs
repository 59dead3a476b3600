using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Trm.Puzzles;

namespace Trm.Tests.Layers;

/// <summary>
/// Trm.Puzzles, below Trm.Core, needs no tensors: a solver on another engine (ONNX Runtime) references it without TorchSharp.
/// Checked three ways: its sources compile alone against the framework (no name of Trm.Core or a package, crefs included), the
/// built assembly references nothing but the framework, and its restore graph holds no package.
/// </summary>
public class PuzzlesAssemblyTests
{
    [Fact]
    public void ItsSourcesCompileAgainstTheFrameworkAlone()
    {
        var sources = LayeringTests.Sources(["Trm.Puzzles"]);
        var compilation = LayeringTests.Compile(sources, LayeringTests.FrameworkReferences(), new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose));
        Assert.True(sources.Count > 50, $"{sources.Count} files");
        var errors = LayeringTests.ErrorsOf(compilation);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        // The same check fails on a use of a type of Trm.Core.
        var tree = compilation.SyntaxTrees.First(t => t.FilePath.EndsWith("SlotRecycler.cs", StringComparison.Ordinal));
        var upward = CSharpSyntaxTree.ParseText(tree.GetText() + "\nstatic class Probe { static Trm.Model.TrmAct? Model() => null; }\n", (CSharpParseOptions)tree.Options, tree.FilePath);
        Assert.Contains(LayeringTests.ErrorsOf(compilation.ReplaceSyntaxTree(tree, upward)), e => e.Contains("TrmAct", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuiltAssemblyReferencesOnlyTheFramework()
    {
        var assembly = typeof(PuzzleRequest).Assembly;
        Assert.Equal("Trm.Puzzles", assembly.GetName().Name);
        var framework = new HashSet<string>(LayeringTests.FrameworkReferences().Select(r => Path.GetFileNameWithoutExtension(r.Display!)), StringComparer.OrdinalIgnoreCase);
        var others = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(name => !framework.Contains(name)).ToList();
        Assert.True(others.Count == 0, $"Trm.Puzzles references {string.Join(", ", others)}");
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ItsRestoreGraphHoldsNoPackage()
    {
        // obj/project.assets.json is NuGet's whole dependency graph of the project, transitive packages included.
        var assets = Path.Combine(TestPaths.RepositoryRoot, "src", "Trm.Puzzles", "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(libraries.Count == 0, $"Trm.Puzzles depends on {string.Join(", ", libraries)}");
        var core = Path.Combine(TestPaths.RepositoryRoot, "src", "Trm.Core", "obj", "project.assets.json");
        Assert.Contains("TorchSharp", File.ReadAllText(core), StringComparison.Ordinal);   // where the check would see one
    }
}
