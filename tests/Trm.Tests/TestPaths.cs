namespace Trm.Tests;

/// <summary>Locates the repository and the <c>../shared</c> folder (fixtures, ARC data) beside it.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string ReferenceFixture => Path.Combine(Shared, "fixtures", "reference-trm", "att_rope_f32");

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
