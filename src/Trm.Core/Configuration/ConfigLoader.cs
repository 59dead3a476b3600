using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Trm.Limits;
using Trm.Model;

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
        if (!File.Exists(path)) throw new TrmException($"{path} not found: pass a training config file, or one of the presets ({string.Join(", ", Presets.Names)}).");
        return FromYaml(YamlDocument.ReadText(path), path, overrides);
    }

    public static TrainConfig FromYaml(string yaml, string source, IEnumerable<string> overrides)
    {
        var root = YamlDocument.Parse(yaml, source) as JsonObject ?? throw new TrmException($"{source}: a training config must be a YAML mapping.");
        root.Remove("defaults");  // Hydra's composition list in the reference's cfg_pretrain.yaml
        root.Remove("hydra");
        foreach (var assignment in overrides) Apply(root, assignment);
        CheckKeys(root, source);
        CheckLimits(root, source);
        return Bind(root, source);
    }

    /// <summary>
    /// Refuses, before binding, a null where its declared limit (<see cref="UserLimits"/>) wants a value (<c>data_paths: null</c>),
    /// so that nothing bound is null unless allowed; ranges are checked on the whole config by <see cref="TrainConfig.Validate"/>
    /// (a config is read, e.g. to be evaluated or overridden, before it is complete).
    /// </summary>
    static void CheckLimits(JsonObject root, string source)
    {
        var problems = UserLimits.Problems(UserLimits.Config, root, nullsOnly: true);
        if (root.TryGetPropertyValue("arch", out var arch))
        {
            if (arch is JsonObject fields) problems.AddRange(UserLimits.Problems(UserLimits.Arch.Where(l => Checkable(l.Name, fields)), fields, "arch.", nullsOnly: true));
            else problems.Add(new("arch", $"must be a mapping of the model's fields (is {arch?.ToJsonString() ?? "null"})"));
        }
        if (problems.Count > 0) throw new TrmException($"{source}: {Describe(problems)}.");
    }

    /// <summary>Whether the model's field <c>arch.</c><paramref name="key"/> is checked here: not one the data fills in, and one the
    /// named architecture has (a field of another is refused by name when the section is read; so is an unknown name).</summary>
    static bool Checkable(string key, JsonObject fields)
    {
        if (ArchConfig.DataDerivedKeys.Contains(key)) return false;
        try
        {
            return ArchitectureFields.Keys(fields["name"] is JsonValue name ? name.Deserialize<Architecture>() : Architecture.Trm).Contains(key);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Config problems as one sentence: "epochs must be ... ; arch.hidden_size must be ...".</summary>
    internal static string Describe(IEnumerable<SettingProblem> problems) => string.Join("; ", problems.Select(p => $"{p.Setting} {p.Problem}"));

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

    /// <summary>Refuses keys the reference does not have, suggesting the nearest known one.</summary>
    static void CheckKeys(JsonObject root, string source)
    {
        var archKeys = KeysOf(typeof(Model.TrmConfig)).Except(ArchConfig.DataDerivedKeys).Append("name").Append("loss").ToList();
        var scopes = new List<(string Prefix, JsonObject? Node, IReadOnlyList<string> Known)>
        {
            ("", root, KeysOf(typeof(TrainConfig))),
            ("arch.", root["arch"] as JsonObject, archKeys),
            ("arch.loss.", (root["arch"] as JsonObject)?["loss"] as JsonObject, KeysOf(typeof(LossConfig))),
        };
        foreach (var (prefix, node, known) in scopes)
        {
            if (node is null) continue;
            foreach (var key in node.Select(p => p.Key).Where(k => !known.Contains(k) && !(prefix == "arch." && ArchConfig.DataDerivedKeys.Contains(k))))
            {
                var nearest = known.MinBy(k => EditDistance(k.ToLowerInvariant(), key.ToLowerInvariant()))!;
                var hint = EditDistance(nearest.ToLowerInvariant(), key.ToLowerInvariant()) <= 2 ? $" (did you mean '{prefix}{nearest}'?)" : "";
                throw new TrmException($"{source}: unknown key '{prefix}{key}'{hint}. Check the key names against the presets in configs/.");
            }
        }
    }

    static IReadOnlyList<string> KeysOf(Type type) => type.GetProperties()
        .Select(p => p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).OfType<JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
        .OfType<string>().ToList();

    static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    static TrainConfig Bind(JsonObject root, string source)
    {
        try
        {
            return root.Deserialize<TrainConfig>(Strict) ?? throw new TrmException($"{source}: empty config.");
        }
        catch (ReferenceNameException e)
        {
            throw new TrmException($"{source}: {e.Path?[2..]} {e.Message}.", e);
        }
        catch (JsonException e)
        {
            var key = e.Path is { Length: > 2 } p ? p[2..] : null;
            var what = key is not null ? $"'{key}' has the wrong type ({FirstSentence(e.Message)})" : FirstSentence(e.Message);
            throw new TrmException($"{source}: {what}. Check the key names against the presets in configs/.", e);
        }
    }

    static string FirstSentence(string message) => message.Split(". ")[0];
}
