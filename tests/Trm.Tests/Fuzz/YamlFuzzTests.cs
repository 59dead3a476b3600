using System.Text;
using Trm.Configuration;

namespace Trm.Tests.Fuzz;

/// <summary>
/// The default preset's YAML with lines dropped, repeated, cut or given hostile values (aliases, deep nesting, huge and
/// non-finite numbers, tags, unterminated quotes) and "billion laughs" alias bombs, loaded as <c>trm train --config</c> does.
/// </summary>
public class YamlFuzzTests
{
    static readonly string Preset = Presets.Read("sudoku4-cpu")!;
    static readonly string[] HostileValues =
        ["*a", "&a [1, 2]", "[" + new string('[', 5000), "{", "1e999", "-1", ".nan", ".inf", "!!python/object/apply:os.system ['ls']", "'unterminated",
         "0x7fffffffffffffff", "99999999999999999999999", "[]", "{}", "~", "\"\\uD800\"", "[data/a, *b]", "? complex key", "|\n  block"];

    [Fact]
    public void MutatedConfigsEndInAMessage() =>
        FuzzRunner.Run("config.yaml", FuzzRunner.Seeds(300, foundFailing: [11, 72, 220, 226, 291]), random => Encoding.UTF8.GetBytes(Mutate(random)),
            path => ConfigLoader.FromYamlFile(path, []).Validate(path));

    [Fact]
    public void BillionLaughsIsRefusedWithoutGrowing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("laughs.yaml");
        File.WriteAllText(path, Preset + "\n" + Laughs(levels: 9));
        long before = PeakMemory.Reset();
        var error = Assert.Throws<TrmException>(() => ConfigLoader.FromYamlFile(path, []));
        Assert.Contains("more than 100000 nodes", error.Message);
        Assert.True(PeakMemory.Peak() - before < FuzzRunner.MaxGrowthBytes);
    }

    /// <summary>A mutated config text (also used as a safetensors file's <c>trm_config</c>).</summary>
    public static string Mutate(Random random) => random.Next(6) switch
    {
        0 => Preset + "\n" + Laughs(random.Next(2, 12)),
        1 => Encoding.UTF8.GetString(Mutations.Bytes(random, Encoding.UTF8.GetBytes(Preset))),
        _ => Mutations.Lines(random, Preset, r => HostileValues[r.Next(HostileValues.Length)]),
    };

    // lol0: &l0 [lol, ... x9]; lolN: &lN [*lN-1 x9]: 9^levels nodes when expanded.
    static string Laughs(int levels)
    {
        var text = new StringBuilder("lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= levels; i++) text.Append($"lol{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        return text.ToString();
    }
}
