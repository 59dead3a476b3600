using Trm.Cli.Commands;
using Trm.IO;
using Trm.Verification;

namespace Trm.Tests.Model;

public class ReferenceParityTests
{
    [Fact]
    public void VerifyReferencePassesOnTheSharedFixture()
    {
        var output = new StringWriter();
        int exitCode = VerifyReferenceCommand.Execute(TestPaths.ReferenceFixture, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("PASS", lines[^1]);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL ", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryArrayOfTheFixtureIsCompared()
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
        var compared = ReferenceVerifier.Run(fixture).Select(c => c.Name).ToHashSet();

        var expected = fixture.Vectors.Keys.Where(k => !k.StartsWith("batch.", StringComparison.Ordinal));
        Assert.All(expected, key => Assert.Contains(key, compared));
    }

    [Fact]
    public void ATamperedWeightMakesVerificationFail()
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixture);
        using var dir = new TempDirectory();
        foreach (var file in Directory.GetFiles(TestPaths.ReferenceFixture)) File.Copy(file, dir.File(Path.GetFileName(file)));
        // Shift one reference logit: the comparison of that array must fail, and only it.
        var vectors = NpzArchive.ReadAll(dir.File("vectors.npz"));
        vectors["eval.step2.logits"][0, 0, 0] += 1.0;
        File.Delete(dir.File("vectors.npz"));
        NpzArchive.WriteAll(dir.File("vectors.npz"), vectors);

        var output = new StringWriter();
        int exitCode = VerifyReferenceCommand.Execute(dir.Path, output);

        Assert.Equal(1, exitCode);
        Assert.EndsWith("FAIL", output.ToString().TrimEnd());
        Assert.Contains("FAIL eval.step2.logits", output.ToString());
        Assert.Contains("1 outside tolerance", output.ToString());
        Assert.Equal(fixture.Vectors.Count, vectors.Count);
    }
}
