namespace Trm.Tests;

/// <summary>
/// Locates the repository and the data the tests read, all inside it: <c>tests/Trm.Tests/TestData</c> (the reference
/// fixture, ARC puzzle files; see its README.md), found from the repository root, not from the build output.
/// </summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string TestData => Path.Combine(RepositoryRoot, "tests", "Trm.Tests", "TestData");

    /// <summary>The paper's code measured on attention, rope, float32: manifest.json, checkpoint.pt, checkpoint_compiled.pt, vectors.npz.</summary>
    public static string ReferenceFixture => Path.Combine(TestData, "reference-trm", "att_rope_f32");

    /// <summary>Every reference fixture folder (one per architecture and configuration), by folder name.</summary>
    public static string ReferenceFixtureNamed(string name) => Path.Combine(TestData, "reference-trm", name);

    /// <summary>The public ARC-AGI-1 training and evaluation and ConceptARC files, <c>arc-agi_&lt;subset&gt;_challenges.json</c> and <c>_solutions.json</c>.</summary>
    public static string Arc => Path.Combine(TestData, "arc");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Trm.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Trm.slnx not found above the test binaries.");
    }
}

/// <summary>A temporary directory deleted when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("trm-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
