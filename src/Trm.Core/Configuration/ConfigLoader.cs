using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Trm.Configuration;

/// <summary>
/// Loads a <see cref="TrainConfig"/> from YAML and applies command-line overrides in the reference's
/// (Hydra's) form: <c>key=value</c>, <c>arch.key=value</c>, a leading <c>+</c> allowed, values in YAML
/// syntax (<c>data_paths=[data/a,data/b]</c>). Unknown keys and wrong types are errors naming the key.
/// </summary>
public static class ConfigLoader
{
    static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static TrainConfig FromYamlFile(string path, IEnumerable<string> overrides)
    {
        if (!File.Exists(path)) throw new TrmException($"{path} not found: pass a training config (see `trm train --help` for the presets).");
        return FromYaml(File.ReadAllText(path), path, overrides);
    }

    public static TrainConfig FromYaml(string yaml, string source, IEnumerable<string> overrides)
    {
        var root = YamlDocument.Parse(yaml, source) as JsonObject ?? throw new TrmException($"{source}: a training config must be a YAML mapping.");
        root.Remove("defaults");  // Hydra's composition list in the reference's cfg_pretrain.yaml
        root.Remove("hydra");
        foreach (var assignment in overrides) Apply(root, assignment);
        return Bind(root, source);
    }

    /// <summary>Serialises a config to the YAML written as <c>all_config.yaml</c>.</summary>
    public static string ToYaml(TrainConfig config) => YamlDocument.Write(JsonSerializer.SerializeToNode(config)!);

    static void Apply(JsonObject root, string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0) throw new TrmException($"override '{assignment}' must look like key=value or arch.key=value.");
        var path = assignment[..equals].TrimStart('+').Split('.');
        var value = YamlDocument.Parse(assignment[(equals + 1)..], $"override '{assignment}'");
        var target = root;
        foreach (var part in path[..^1])
        {
            if (target[part] is not JsonObject child) target[part] = child = [];
            target = child;
        }
        target[path[^1]] = value;
    }

    static TrainConfig Bind(JsonObject root, string source)
    {
        try
        {
            return root.Deserialize<TrainConfig>(Strict) ?? throw new TrmException($"{source}: empty config.");
        }
        catch (JsonException e)
        {
            var key = e.Path is { Length: > 2 } p ? p[2..] : null;
            var what = e.Message.Contains("could not be mapped") ? $"unknown key{(key is null ? "" : $" under '{key}'")}: {UnknownKey(e.Message)}"
                : key is not null ? $"'{key}' has the wrong type ({FirstSentence(e.Message)})"
                : FirstSentence(e.Message);
            throw new TrmException($"{source}: {what}. Check the key names against the presets in configs/.", e);
        }
    }

    static string UnknownKey(string message)
    {
        int start = message.IndexOf('\''), end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : message;
    }

    static string FirstSentence(string message) => message.Split(". ")[0];
}
