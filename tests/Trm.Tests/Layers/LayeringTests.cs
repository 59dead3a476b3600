using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Trm.Tests.Layers;

/// <summary>
/// The library's layers (docs/ARCHITECTURE.md), bottom to top: a namespace may use its own layer's and lower
/// layers' namespaces, never a higher one, so the folders form no cycle. Namespaces of one layer do not use
/// each other either (the puzzle kinds stay independent).
/// The layers span both library assemblies: src/Trm.Puzzles (what needs no tensors) and src/Trm.Core above it; a namespace
/// may live in both (<c>Trm.Model</c>'s halting policy sits in Trm.Puzzles, its network in Trm.Core). The check compiles both
/// with Roslyn and asks the compiler what every name binds to, so a name written
/// partly qualified (<c>Training.TrainingSetup</c> inside <c>namespace Trm.Model;</c>), through an alias, a
/// <c>using static</c>, a <c>global using</c> or as an extension method is seen as well as <c>Trm.Training.TrainingSetup</c>.
/// </summary>
public class LayeringTests
{
    public static readonly string[][] Layers =
    [
        ["Trm", "Trm.Limits"],
        ["Trm.IO", "Trm.Logging"],
        ["Trm.Model"],
        ["Trm.Data", "Trm.Distributed"],
        ["Trm.Puzzles"],
        ["Trm.Puzzles.Sudoku", "Trm.Puzzles.Maze", "Trm.Puzzles.Arc"],
        ["Trm.Configuration"],
        ["Trm.Checkpoints"],
        ["Trm.Solving"],
        ["Trm.Evaluation"],
        ["Trm.Training"],
        ["Trm.Inference"],
        ["Trm.Rendering", "Trm.Benchmarking", "Trm.Verification", "Trm.Export"],
    ];

    /// <summary>One name in the library that binds to a symbol of a <c>Trm</c> namespace: where it is written
    /// (file relative to src/, line, the namespace the code is in) and what it means.</summary>
    public sealed record Use(string File, int Line, string Namespace, string Used, string Symbol)
    {
        public override string ToString() => $"{File}:{Line} ({Namespace}, layer {LayerOf(Namespace)}) uses {Symbol} ({Used}, layer {LayerOf(Used)})";
    }

    static string SourceDirectory => Path.Combine(TestPaths.RepositoryRoot, "src");

    /// <summary>The library's assemblies, bottom first.</summary>
    public static readonly string[] Assemblies = ["Trm.Puzzles", "Trm.Core"];

    /// <summary>What Microsoft.NET.Sdk's ImplicitUsings (Directory.Build.props) adds to every file of the library.</summary>
    static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    const string ImplicitUsingsPath = "ImplicitUsings.g.cs";

    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    static readonly Lazy<CSharpCompilation> Library = new(() => Compile(LibrarySources()));

    static readonly Lazy<IReadOnlyList<Use>> LibraryUses = new(() => Uses(Library.Value));

    static int LayerOf(string ns)
    {
        for (int i = 0; i < Layers.Length; i++)
            if (Layers[i].Contains(ns)) return i;
        return -1;
    }

    /// <summary>Every .cs file of the library's assemblies, src/Trm.Puzzles and src/Trm.Core (not obj/ or bin/), as (full path, text).</summary>
    public static IReadOnlyList<(string Path, string Text)> LibrarySources() => Sources(Assemblies);

    /// <summary>Every .cs file of the given projects under src/ (not obj/ or bin/), as (full path, text).</summary>
    public static IReadOnlyList<(string Path, string Text)> Sources(IEnumerable<string> projects) =>
        projects.SelectMany(project => Directory.EnumerateFiles(Path.Combine(SourceDirectory, project), "*.cs", SearchOption.AllDirectories)
                .Where(file => !Path.GetRelativePath(Path.Combine(SourceDirectory, project), file).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin")))
            .Order(StringComparer.Ordinal)
            .Select(file => (file, File.ReadAllText(file)))
            .ToList();

    /// <summary>The sources compiled as the library is built: its implicit usings, nullable, unsafe code, against the
    /// assemblies it builds against (the running framework and the packages beside the test assembly).</summary>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources) => Compile(sources, MetadataReferences(), ParseOptions);

    /// <inheritdoc cref="Compile(IEnumerable{ValueTuple{string, string}})"/>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, IReadOnlyList<MetadataReference> references, CSharpParseOptions parseOptions)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path))
            .Append(CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), parseOptions, ImplicitUsingsPath));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);
        return CSharpCompilation.Create("Trm.Library", trees, references, options);
    }

    /// <summary>The trusted platform assemblies and every managed assembly beside the test assembly, once per file
    /// name, less our own (Trm.Puzzles, Trm.Core, the CLI, the tests, the web host), whose types the sources define or which sit above
    /// the library, and the web host's packages, which Trm.Core does not reference (Scalar's namespace <c>Scalar</c> would
    /// hide YamlDotNet's type of that name).</summary>
    static IReadOnlyList<MetadataReference> MetadataReferences()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var beside = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        var ours = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Trm.Puzzles.dll", "Trm.Core.dll", "Trm.Tests.dll", "trm.dll", "Trm.Serving.dll",
            "Scalar.AspNetCore.dll", "Prometheus.NetStandard.dll", "Prometheus.AspNetCore.dll", "Microsoft.AspNetCore.OpenApi.dll", "WebDriver.dll",
        };
        return platform.Concat(beside)
            .Where(path => !ours.Contains(Path.GetFileName(path)) && IsManaged(path))
            .DistinctBy(path => Path.GetFileName(path), StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
    }

    /// <summary>The running framework's assemblies only: what a project with no package references builds against.</summary>
    public static IReadOnlyList<MetadataReference> FrameworkReferences() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetDirectoryName(path) == Path.GetDirectoryName(typeof(object).Assembly.Location) && IsManaged(path))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();

    /// <summary>The compiler's errors in <paramref name="compilation"/>, with unresolved <c>cref</c>s as errors too.</summary>
    public static List<string> ErrorsOf(CSharpCompilation compilation) => Errors(compilation, compilation.SyntaxTrees, crefs: true);

    static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException) { return false; }
    }

    /// <summary>The compiler's errors in <paramref name="trees"/>, less the one for a <c>[GeneratedRegex]</c> method:
    /// its body comes from a source generator that this compilation does not run.</summary>
    static List<string> Errors(CSharpCompilation compilation, IEnumerable<SyntaxTree> trees, bool crefs = false) =>
        trees.SelectMany(tree => compilation.GetSemanticModel(tree).GetDiagnostics())
            .Where(d => (d.Severity == DiagnosticSeverity.Error || crefs && d.Id is "CS1574" or "CS1580") && !IsGeneratedRegexStub(d))
            .Select(d => d.ToString())
            .ToList();

    static bool IsGeneratedRegexStub(Diagnostic diagnostic) =>
        diagnostic.Id == "CS8795" && diagnostic.Location.SourceTree is { } tree
        && tree.GetRoot().FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } method
        && method.AttributeLists.SelectMany(list => list.Attributes).Any(a => a.Name.ToString() is "GeneratedRegex" or "GeneratedRegexAttribute");

    /// <summary>
    /// Every name written in <paramref name="trees"/> (all of the compilation's by default) that binds to a symbol of a
    /// <c>Trm</c> namespace: identifiers and generic names, which make up member accesses, qualified and alias-qualified
    /// names, attributes, <c>using</c> directives of every kind, <c>typeof</c>, <c>nameof</c> and doc comments'
    /// <c>cref</c>s (a doc comment does not speak of a higher layer either). A type counts in its namespace, a member or
    /// extension method in its type's; a namespace (a <c>using</c>) counts as itself. Fails if the sources do not
    /// compile, so that names the compiler could not bind cannot pass unseen.
    /// </summary>
    public static IReadOnlyList<Use> Uses(CSharpCompilation compilation, IEnumerable<SyntaxTree>? trees = null)
    {
        var checkedTrees = (trees ?? compilation.SyntaxTrees).ToList();
        var errors = Errors(compilation, checkedTrees);
        Assert.True(errors.Count == 0, "the library does not compile here, so its names cannot all be bound:\n" + string.Join("\n", errors.Take(20)));
        var uses = new List<Use>();
        foreach (var tree in checkedTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            var fileNamespace = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
            var file = tree.FilePath == ImplicitUsingsPath ? ImplicitUsingsPath : Path.GetRelativePath(SourceDirectory, tree.FilePath);
            foreach (var name in root.DescendantNodes(descendIntoTrivia: true).OfType<SimpleNameSyntax>())
            {
                if (name.Ancestors().Any(a => a is BaseNamespaceDeclarationSyntax ns && ns.Name.Span.Contains(name.Span))) continue;
                var info = model.GetSymbolInfo(name);
                var symbols = info.Symbol is { } symbol ? [symbol] : info.CandidateSymbols;
                foreach (var used in symbols.Select(TrmNamespaceOf).OfType<(string Namespace, string Symbol)>().Distinct())
                {
                    var declaration = name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault() ?? fileNamespace;
                    var inNamespace = declaration is null ? "<global namespace>" : model.GetDeclaredSymbol(declaration)!.ToDisplayString();
                    uses.Add(new Use(file, name.GetLocation().GetLineSpan().StartLinePosition.Line + 1, inNamespace, used.Namespace, used.Symbol));
                }
            }
        }
        return uses;
    }

    /// <summary>The <c>Trm</c> namespace a bound symbol belongs to, with the symbol's name; null for anything else, for
    /// locals, parameters and type parameters, and for a namespace that only holds layers (<c>Trm.Puzzles</c>).</summary>
    static (string Namespace, string Symbol)? TrmNamespaceOf(ISymbol symbol)
    {
        switch (symbol)
        {
            case IAliasSymbol alias: return TrmNamespaceOf(alias.Target);
            case IArrayTypeSymbol array: return TrmNamespaceOf(array.ElementType);
            case IPointerTypeSymbol pointer: return TrmNamespaceOf(pointer.PointedAtType);
            case ILocalSymbol or IParameterSymbol or ITypeParameterSymbol or IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol: return null;
            case IMethodSymbol { ReducedFrom: { } extension }: return TrmNamespaceOf(extension);
            case INamespaceSymbol ns:
            {
                var name = ns.ToDisplayString();
                if (ns.IsGlobalNamespace || !IsTrm(name)) return null;
                if (LayerOf(name) < 0 && Layers.SelectMany(layer => layer).Any(known => known.StartsWith(name + ".", StringComparison.Ordinal))) return null;
                return (name, name);
            }
        }
        var definition = symbol.OriginalDefinition;
        var container = definition.ContainingNamespace;
        if (container is null || container.IsGlobalNamespace) return null;
        var containerName = container.ToDisplayString();
        return IsTrm(containerName) ? (containerName, definition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)) : null;
    }

    static bool IsTrm(string ns) => ns == "Trm" || ns.StartsWith("Trm.", StringComparison.Ordinal);

    static bool IsUpwardOrSideways(Use use) =>
        use.Used != use.Namespace && !use.Namespace.StartsWith(use.Used + ".", StringComparison.Ordinal)
        && LayerOf(use.Used) >= LayerOf(use.Namespace);

    /// <summary>The upward and sideways uses in <paramref name="trees"/> of <paramref name="compilation"/> (all by default).</summary>
    public static IReadOnlyList<Use> Violations(CSharpCompilation compilation, IEnumerable<SyntaxTree>? trees = null) =>
        Uses(compilation, trees).Where(IsUpwardOrSideways).ToList();

    [Fact]
    public void EveryNamespaceOfTheLibraryHasALayer()
    {
        var declared = Library.Value.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>()
                .Select(type => Library.Value.GetSemanticModel(tree).GetDeclaredSymbol(type)!.ContainingNamespace.ToDisplayString()))
            .Distinct().Where(ns => LayerOf(ns) < 0).ToList();
        Assert.True(declared.Count == 0, $"namespaces without a layer (add them to docs/ARCHITECTURE.md and this test): {string.Join(", ", declared)}");
        var unknown = LibraryUses.Value.Where(u => LayerOf(u.Used) < 0).Select(u => u.ToString()).Distinct().ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    [Fact]
    public void NoNamespaceUsesOneAboveItOrBesideIt()
    {
        var violations = LibraryUses.Value.Where(IsUpwardOrSideways).Select(u => u.ToString()).Distinct().ToList();
        Assert.True(violations.Count == 0, "upward or sideways dependencies:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheCheckCompilesTheWholeLibrary()
    {
        // Guards the scanner itself: every file is in the compilation, and Uses fails unless it compiles, so every name
        // binds; a name that does not bind fails the check rather than passing unseen.
        Assert.Equal(LibrarySources().Count + 1, Library.Value.SyntaxTrees.Count());
        Assert.NotEmpty(LibraryUses.Value);
        var original = Library.Value.SyntaxTrees.Single(t => t.FilePath == Path.Combine(SourceDirectory, ModelFile));
        var broken = CSharpSyntaxTree.ParseText(original.GetText() + "\nstatic class LayeringProbe { static Training.NoSuchType? Probe() => null; }\n", ParseOptions, original.FilePath);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Violations(Library.Value.ReplaceSyntaxTree(original, broken), [broken]));
    }

    /// <summary>One way of writing a dependency that the check must see: <c>Usings</c> go at the top of a copy of
    /// <c>File</c>, <c>Code</c> (in the file's namespace) at its end; the check must report <c>Symbol</c> of <c>Used</c>
    /// on the first line of <c>Code</c>.</summary>
    public static TheoryData<string, string, string, string, string, string> Injections() => new()
    {
        { "fully qualified", ModelFile, "", "static class LayeringProbe { static Trm.Training.TrainingSetup? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "partly qualified", ModelFile, "", "static class LayeringProbe { static Training.TrainingSetup? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "global::", ModelFile, "", "static class LayeringProbe { static global::Trm.Training.TrainingSetup? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "using and a simple name", ModelFile, "using Trm.Training;\n", "static class LayeringProbe { static TrainingSetup? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "global using and a simple name", ModelFile, "global using Trm.Training;\n", "static class LayeringProbe { static TrainingSetup? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "alias", ModelFile, "using T = Trm.Training.TrainingSetup;\n", "static class LayeringProbe { static T? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "using static and a member", ModelFile, "using static Trm.Training.LearningRateSchedule;\n", "static class LayeringProbe { static double Probe() => At(0, 1, 0, 1, 0); }", "Trm.Training", "Trm.Training.LearningRateSchedule.At(long, double, long, long, double)" },
        { "extension method", ModelFile, "using Trm.Distributed;\n", "static class LayeringProbe { static bool Probe(object g) => ((Trm.Distributed.ICollectives)g).AnyRank(true); }", "Trm.Distributed", "Trm.Distributed.CollectiveValues.AnyRank(Trm.Distributed.ICollectives, bool)" },
        { "typeof", ModelFile, "", "static class LayeringProbe { static System.Type Probe() => typeof(Training.Trainer); }", "Trm.Training", "Trm.Training.Trainer" },
        { "nameof", ModelFile, "", "static class LayeringProbe { static string Probe() => nameof(Training.Trainer); }", "Trm.Training", "Trm.Training.Trainer" },
        { "type argument", ModelFile, "", "static class LayeringProbe { static List<Training.TrainingSetup>? Probe() => null; }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "cref", ModelFile, "", "/// <summary>Like <see cref=\"Training.TrainingSetup\"/> (LayeringProbe).</summary>\nstatic class LayeringProbe { }", "Trm.Training", "Trm.Training.TrainingSetup" },
        { "sideways", SudokuFile, "", "static class LayeringProbe { static string[] Probe() => Maze.MazeText.Rows([]); }", "Trm.Puzzles.Maze", "Trm.Puzzles.Maze.MazeText" },
    };

    const string ModelFile = "Trm.Core/Model/ActMetrics.cs";
    const string SudokuFile = "Trm.Puzzles/Puzzles/Sudoku/SudokuCells.cs";

    [Theory]
    [MemberData(nameof(Injections))]
    public void TheCheckSeesAnUpwardOrSidewaysUseWrittenAnyWay(string way, string file, string usings, string code, string used, string symbol)
    {
        var compilation = Library.Value;
        var original = compilation.SyntaxTrees.Single(t => t.FilePath == Path.Combine(SourceDirectory, file));
        Assert.Empty(Violations(compilation, [original]));

        var text = usings + original.GetText() + "\n" + code + "\n";
        var injected = CSharpSyntaxTree.ParseText(text, ParseOptions, original.FilePath);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("LayeringProbe", StringComparison.Ordinal)) + 1;
        var found = Violations(compilation.ReplaceSyntaxTree(original, injected), [injected]);
        Assert.True(found.Any(u => u.Line == line && u.Used == used && u.Symbol == symbol),
            $"{way}: expected {symbol} ({used}) on line {line}; reported:\n" + string.Join("\n", found));
    }
}
