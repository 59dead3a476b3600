using Trm.Cli.Commands;
using Trm.IO;
using Trm.Verification;

namespace Trm.Tests.Model;

public class ReferenceParityTests
{
    /// <summary>One fixture per architecture of the reference's repository (and two TRM configurations).</summary>
    public static TheoryData<string, string> Fixtures => new()
    {
        { "att_rope_f32", "trm" }, { "mlpt_learned_f32", "trm" }, { "hrm_rope_f32", "hrm" },
        { "singlez_rope_f32", "trm_singlez" }, { "hier6_rope_f32", "trm_hier6" }, { "baseline_rope_f32", "transformers_baseline" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void VerifyReferencePassesOnEveryFixture(string folder, string architecture)
    {
        var output = new StringWriter();
        int exitCode = VerifyReferenceCommand.Execute(TestPaths.ReferenceFixtureNamed(folder), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("PASS", lines[^1]);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL ", StringComparison.Ordinal));
        Assert.StartsWith($"Fixture {folder}: {architecture} (", lines[0]);
        Assert.Contains(lines, l => l.Contains("reference spread"));   // the rule's spread is printed beside each float array
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EveryArrayOfTheFixtureIsCompared(string folder, string architecture)
    {
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixtureNamed(folder));
        Assert.Equal(architecture, Trm.Model.ArchitectureNames.Short(fixture.Manifest.Architecture));
        var compared = ReferenceVerifier.Run(fixture).Select(c => c.Name).ToHashSet();

        var expected = fixture.Vectors.Keys.Where(k => !k.StartsWith("batch.", StringComparison.Ordinal));
        Assert.All(expected, key => Assert.Contains(key, compared));
    }

    [Fact]
    public void TheToleranceOfAnArrayIsFourTimesTheReferenceSpreadWhereThatExceedsTheBase()
    {
        // mlp_t with random weights: the reference itself wanders by 3.6e-4 on this array, above the base 1e-4.
        var fixture = ReferenceFixture.Load(TestPaths.ReferenceFixtureNamed("mlpt_learned_f32"));
        var results = ReferenceVerifier.Run(fixture).ToDictionary(c => c.Name);
        var wandering = results["eval.step3.q_continue_logits"];
        Assert.Equal(4 * fixture.Manifest.ReferenceSpread!["eval.step3.q_continue_logits"], wandering.Tolerance, 12);
        var steady = results["eval.step1.loss"];
        Assert.Equal(ReferenceVerifier.OutputTolerance, steady.Tolerance);   // its spread is far below the base
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
