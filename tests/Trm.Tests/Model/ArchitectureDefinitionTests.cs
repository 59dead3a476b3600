using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Trm.Model;

namespace Trm.Tests.Model;

/// <summary>Each architecture is described once, by its <see cref="ArchitectureDefinition"/>, and that is what its model holds.</summary>
public class ArchitectureDefinitionTests
{
    public static TheoryData<Architecture> Architectures => new(Enum.GetValues<Architecture>());

    [Fact]
    public void EveryArchitectureHasExactlyOneDefinition()
    {
        foreach (var architecture in Enum.GetValues<Architecture>())
            Assert.Single(ArchitectureDefinition.All, definition => definition.Architecture == architecture);
        Assert.Equal(Enum.GetValues<Architecture>().Length, ArchitectureDefinition.All.Count);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void TheDefinitionIsWhatItsBuiltModelHolds(Architecture architecture)
    {
        var definition = ArchitectureDefinition.Of(architecture);
        var config = (TinyModels.Config() with { Architecture = architecture, HLayers = 3, LLayers = 2 }).Validate();
        Assert.Equal(definition.Latents, definition.BuildRecursion(config).Latents);
        Assert.Equal(definition.Latents, Recursion.For(config).Latents);

        using var model = new ActLossHead(config);
        var state = model.state_dict();
        Assert.Equal(definition.Latents, model.Model.Inner.Latents);
        Assert.Equal(state.Values.Sum(t => t.numel()), config.StateValues());
        var inits = state.Keys.Where(key => key.EndsWith("_init")).Select(key => key[(key.LastIndexOf('.') + 1)..]).ToList();
        Assert.Equal(definition.Latents.Select(Recursion.InitName), inits);
        Assert.Equal(config.LatentCount, inits.Count);

        // The levels' names and layers as the state dict holds them (model.inner.L_level.layers.1...).
        var layers = state.Keys.Select(key => Regex.Match(key, @"\.(\w+_level)\.layers\.(\d+)\.")).Where(m => m.Success)
            .Select(m => (Level: m.Groups[1].Value, Layer: m.Groups[2].Value)).Distinct()
            .GroupBy(layer => layer.Level).Select(level => (level.Key, level.Count())).Order().ToList();
        Assert.Equal(definition.Levels(config).Select(level => (level.Level, level.Layers)).Order(), layers);
        Assert.Equal(layers.Sum(level => level.Item2), config.Blocks);
        Assert.Equal(layers.Select(level => level.Key).Order(), definition.BuildRecursion(config).Levels.Select(level => level.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ItsFieldsAreConfigKeysAndItsDefaultsAreValid(Architecture architecture)
    {
        var definition = ArchitectureDefinition.Of(architecture);
        var keys = typeof(TrmConfig).GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name).OfType<string>().ToList();
        Assert.All(definition.Fields, field => Assert.Contains(field, keys));
        Assert.Equal(definition.Fields.Count, definition.Fields.Distinct().Count());
        Assert.DoesNotContain("seq_len", definition.Fields);
        Assert.Equal(architecture, definition.Defaults.Architecture);
        (definition.Defaults with { SeqLen = 16, VocabSize = 6 }).Validate();
    }

    [Fact]
    public void AnArchitecturesOwnChecksApplyToItAlone()
    {
        var tiny = TinyModels.Config();
        (tiny with { HLayers = 0, LCycles = 7, PosEncodings = PosEncoding.None }).Validate();
        var hrm = Assert.Throws<TrmException>(() => (tiny with { Architecture = Architecture.Hrm, HLayers = 0 }).Validate());
        Assert.Equal("Invalid model configuration: H_layers must be at least 1 for hrm (is 0).", hrm.Message);
        var hier6 = Assert.Throws<TrmException>(() => (tiny with { Architecture = Architecture.TrmHier6, LCycles = 7 }).Validate());
        Assert.Equal("Invalid model configuration: L_cycles must be at most 6 for trm_hier6, whose L cycles each update one of its six latents (is 7).", hier6.Message);
        // After the declared ranges of the fields.
        var baseline = Assert.Throws<TrmException>(() => (tiny with
        {
            Architecture = Architecture.TransformersBaseline, LLayers = 0, HLayers = 0, PosEncodings = PosEncoding.None, HaltMaxSteps = 0,
        }).Validate());
        Assert.Equal("Invalid model configuration: L_layers must be an integer from 1 to 256 (is 0); halt_max_steps must be an integer from 1 to 1024 (is 0); " +
            "H_layers must be at least 1 for transformers_baseline (is 0); pos_encodings must be rope or learned for transformers_baseline (is none).", baseline.Message);
    }
}
