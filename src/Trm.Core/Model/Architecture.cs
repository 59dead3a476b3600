using System.Text.Json.Serialization;

namespace Trm.Model;

/// <summary>
/// <c>arch.name</c>: which of the reference's model classes (<c>models/recursive_reasoning/*.py</c>) a config builds. Each
/// has its own recursion, carry and config fields, all given by its <see cref="ArchitectureDefinition"/> (registered in
/// <see cref="ArchitectureDefinition.All"/>); the short form (the module name: <c>trm</c>, <c>hrm</c>, ...) is accepted too.
/// </summary>
[JsonConverter(typeof(ArchitectureConverter))]
public enum Architecture
{
    /// <summary>TRM: one 2-layer network updating z_L (L_cycles times) and z_H (once) per H cycle.</summary>
    [JsonStringEnumMemberName("recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1")] Trm,
    /// <summary>HRM: an L module and an H module at two frequencies, gradient through the last L and H pass only.</summary>
    [JsonStringEnumMemberName("recursive_reasoning.hrm@HierarchicalReasoningModel_ACTV1")] Hrm,
    /// <summary>TRM ablation "single z": one latent that is both the reasoning state and the answer.</summary>
    [JsonStringEnumMemberName("recursive_reasoning.trm_singlez@TinyRecursiveReasoningModel_ACTV1")] TrmSingleZ,
    /// <summary>TRM ablation with six reasoning latents z_L1..z_L6, one updated per L cycle.</summary>
    [JsonStringEnumMemberName("recursive_reasoning.trm_hier6@TinyRecursiveReasoningModel_ACTV1")] TrmHier6,
    /// <summary>A plain transformer (H_layers layers, one pass per supervision step), no recursion inside a step.</summary>
    [JsonStringEnumMemberName("recursive_reasoning.transformers_baseline@Model_ACTV2")] TransformersBaseline,
}

/// <summary>Reads the reference name or the short form; writes the reference name.</summary>
public sealed class ArchitectureConverter : JsonConverter<Architecture>
{
    public override Architecture Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        ArchitectureNames.Parse(reader.TokenType == System.Text.Json.JsonTokenType.String ? reader.GetString()! : reader.TokenType.ToString());

    public override void Write(System.Text.Json.Utf8JsonWriter writer, Architecture value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(ReferenceNames.Of(value));
}

/// <summary>The reference names of the architectures and their short forms.</summary>
public static class ArchitectureNames
{
    /// <summary><c>recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1</c> -> <c>trm</c>.</summary>
    public static string Short(Architecture architecture)
    {
        var full = ReferenceNames.Of(architecture);
        return full[(full.IndexOf('.') + 1)..full.IndexOf('@')];
    }

    /// <summary>"trm (recursive_reasoning.trm@...)".</summary>
    public static string Describe(Architecture architecture) => $"{Short(architecture)} ({ReferenceNames.Of(architecture)})";

    /// <summary>Reads a reference name or a short form; an unknown name is a <see cref="ReferenceNameException"/> listing the known ones.</summary>
    public static Architecture Parse(string name)
    {
        foreach (var known in Enum.GetValues<Architecture>())
            if (name == ReferenceNames.Of(known) || name == Short(known)) return known;
        throw new ReferenceNameException($"must be one of the known architectures: {string.Join(", ", Enum.GetValues<Architecture>().Select(Describe))} (is '{name}')");
    }
}
