using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trm.Model;

/// <summary>
/// The config fields each architecture has (its reference config class, without the data-derived <c>batch_size</c>,
/// <c>seq_len</c>, <c>vocab_size</c> and <c>num_puzzle_identifiers</c>) and the values the others take: a field an
/// architecture does not have is refused by name; one it has but a config leaves out takes the reference's
/// <c>config/arch/&lt;name&gt;.yaml</c> value.
/// </summary>
public static class ArchitectureFields
{
    static readonly string[] Shared =
    [
        "hidden_size", "num_heads", "expansion", "H_cycles", "H_layers", "pos_encodings", "rope_theta", "rms_norm_eps",
        "puzzle_emb_ndim", "halt_max_steps", "halt_exploration_prob", "forward_dtype",
    ];
    static readonly string[] TrmFamily = [.. Shared, "L_cycles", "L_layers", "mlp_t", "puzzle_emb_len", "no_ACT_continue"];

    /// <summary>The config keys of <paramref name="architecture"/>.</summary>
    public static IReadOnlyList<string> Keys(Architecture architecture) => architecture switch
    {
        Architecture.Hrm => [.. Shared, "L_cycles", "L_layers", "mlp_t"],
        Architecture.TransformersBaseline => [.. Shared, "act_enabled", "act_inference"],
        _ => TrmFamily,
    };

    /// <summary>
    /// The configuration of <paramref name="architecture"/> before a config sets anything. HRM and the baseline place the
    /// puzzle embedding on ceil(puzzle_emb_ndim / hidden_size) positions (puzzle_emb_len 0) and halt when q_halt &gt;
    /// q_continue (no_ACT_continue false); the baseline's L fields are unused.
    /// </summary>
    public static TrmConfig Defaults(Architecture architecture) => architecture switch
    {
        Architecture.Hrm => new TrmConfig
        {
            Architecture = architecture, HCycles = 2, LCycles = 2, HLayers = 4, LLayers = 4, PuzzleEmbLen = 0, NoActContinue = false,
        },
        Architecture.TransformersBaseline => new TrmConfig
        {
            Architecture = architecture, HCycles = 1, HLayers = 8, NumHeads = 12, LCycles = 1, LLayers = 1, PuzzleEmbLen = 0, NoActContinue = false,
        },
        _ => new TrmConfig { Architecture = architecture },
    };

    /// <summary>
    /// Builds the configuration of <paramref name="architecture"/> from its <paramref name="fields"/> (reference names).
    /// A field it does not have is a <see cref="ReferenceNameException"/> whose path is that field.
    /// </summary>
    public static TrmConfig Read(Architecture architecture, JsonObject fields, JsonSerializerOptions options)
    {
        var keys = Keys(architecture);
        foreach (var (key, _) in fields)
            if (!keys.Contains(key))
                throw new ReferenceNameException(
                    $"is not a field of {ArchitectureNames.Describe(architecture)}; its fields are {string.Join(", ", keys)}", "$." + key);
        var merged = JsonSerializer.SerializeToNode(Defaults(architecture))!.AsObject();
        foreach (var (key, value) in fields) merged[key] = value?.DeepClone();
        return merged.Deserialize<TrmConfig>(options)! with { Architecture = architecture };
    }

    /// <summary>The fields of <paramref name="config"/>'s architecture, as the reference writes them.</summary>
    public static JsonObject Write(TrmConfig config)
    {
        var all = JsonSerializer.SerializeToNode(config)!.AsObject();
        var node = new JsonObject();
        foreach (var key in Keys(config.Architecture)) node[key] = all[key]?.DeepClone();
        return node;
    }
}
