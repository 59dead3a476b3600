using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Trm.Tests.Cli;
using Trm.Tests.Training;

namespace Trm.Tests.Onnx;

/// <summary>
/// What an application outside the repository gets: <c>examples/SolveWithOnnx</c> builds and solves a Sudoku with nothing but the
/// exported step, giving <c>trm solve --checkpoint</c>'s answer, with no TorchSharp in its dependency graph or its output folder; and
/// <c>dotnet pack</c> makes the three library packages, each with its README, its XML docs and the dependencies it should have.
/// In the collection that runs alone: the build writes the libraries' outputs that other tests load.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class OnnxPackagesTests(OnnxSolverTests.TinyStep step) : IClassFixture<OnnxSolverTests.TinyStep>
{
    static readonly string Example = Path.Combine(TestPaths.RepositoryRoot, "examples", "SolveWithOnnx");

    // The configuration the tests were built in: the example and packages are built alike.
    static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    [Fact]
    public void TheExampleSolvesASudokuAsTheCheckpointDoesWithoutTorchSharp()
    {
        var (exit, stdout, stderr) = TrmProcess.Dotnet("build", Example, "-c", Configuration, "-nologo", "-v", "q");
        Assert.True(exit == 0, stdout + stderr);

        const string puzzle = ".4....3..3....2.";
        var program = Path.Combine(Example, "bin", Configuration, "net10.0", "SolveWithOnnx.dll");
        var (onnxExit, answer, onnxError) = TrmProcess.Dotnet(program, step.Onnx, puzzle);
        var (torchExit, expected, torchError) = TrmProcess.Run("solve", "sudoku", "--checkpoint", step.Checkpoint, puzzle);
        Assert.True(onnxExit is 0 or 1, onnxError);
        Assert.Equal(torchExit, onnxExit);
        // The grid and the verdict, then the steps (trm adds why it stopped).
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expectedLines = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int verdict = Array.FindIndex(expectedLines, l => l.StartsWith("valid:", StringComparison.Ordinal) || l.StartsWith("not a solution:", StringComparison.Ordinal));
        Assert.True(verdict > 0, expected + torchError);
        Assert.Equal(expectedLines[..(verdict + 1)], lines[..(verdict + 1)]);
        Assert.StartsWith(lines[verdict + 1], expectedLines[verdict + 1]);

        // NuGet's whole restore graph of the example, transitive packages included, and what its build copied.
        var libraries = Libraries(Path.Combine(Example, "obj", "project.assets.json"));
        Assert.Contains(libraries, l => l.StartsWith("Microsoft.ML.OnnxRuntime/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, IsTorch);
        var output = Directory.GetFiles(Path.GetDirectoryName(program)!, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("libonnxruntime.so", output);
        Assert.DoesNotContain(output, f => IsTorch(f!));
        Assert.Contains(Libraries(Path.Combine(TestPaths.RepositoryRoot, "src", "Trm.Core", "obj", "project.assets.json")), IsTorch);   // where the check would see one
    }

    static bool IsTorch(string name) => name.Contains("torch", StringComparison.OrdinalIgnoreCase);

    static List<string> Libraries(string assets)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        return [.. document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public void PackMakesTheLibraryPackagesWithReadmeDocsAndDependencies()
    {
        using var dir = new TempDirectory();
        foreach (var project in new[] { "Trm.Puzzles", "Trm.Core", "Trm.Onnx" })
        {
            var (exit, stdout, stderr) = TrmProcess.Dotnet("pack", Path.Combine(TestPaths.RepositoryRoot, "src", project), "-c", Configuration, "--no-build", "-o", dir.Path, "-nologo");
            Assert.True(exit == 0, stdout + stderr);
        }

        // The package's metadata, once its README and its XML docs are found inside.
        XElement Metadata(string id)
        {
            using var package = ZipFile.OpenRead(Path.Combine(dir.Path, $"{id}.0.1.0.nupkg"));
            using var nuspec = package.GetEntry($"{id}.nuspec")!.Open();
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            var readme = new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd();
            Assert.Contains($"# {id}", readme);
            var docs = new StreamReader(package.GetEntry($"lib/net10.0/{id}.xml")!.Open()).ReadToEnd();
            Assert.Contains("<member name=\"T:", docs);
            return metadata;
        }

        string[] Dependencies(XElement metadata) =>
            [.. metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Order()];

        var puzzles = Metadata("Trm.Puzzles");
        Assert.Empty(Dependencies(puzzles));
        Assert.Equal("README.md", puzzles.Elements().Single(e => e.Name.LocalName == "readme").Value);
        var core = Metadata("Trm.Core");
        Assert.Contains("Trm.Puzzles", Dependencies(core));
        Assert.Contains(Dependencies(core), IsTorch);
        var onnx = Metadata("Trm.Onnx");
        Assert.Equal(["Microsoft.ML.OnnxRuntime", "Trm.Puzzles"], Dependencies(onnx));
    }
}
