namespace Trm.Configuration;

/// <summary>The training configs shipped with the library (the repository's <c>configs/*.yaml</c>, embedded).</summary>
public static class Presets
{
    const string Prefix = "presets/";

    public static IReadOnlyList<string> Names { get; } = typeof(Presets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix)).Select(n => n[Prefix.Length..^".yaml".Length]).Order().ToList();

    /// <summary>The YAML text of preset <paramref name="name"/>, or null when there is none.</summary>
    public static string? Read(string name)
    {
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream($"{Prefix}{name}.yaml");
        return stream is null ? null : new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Loads <paramref name="configOrPreset"/>: a YAML file if one exists at that path, else a preset name.</summary>
    public static TrainConfig Load(string configOrPreset, IEnumerable<string> overrides)
    {
        if (File.Exists(configOrPreset)) return ConfigLoader.FromYamlFile(configOrPreset, overrides);
        var yaml = Read(configOrPreset)
            ?? throw new TrmException($"{configOrPreset}: no such config file or preset. Presets: {string.Join(", ", Names)}.");
        return ConfigLoader.FromYaml(yaml, $"preset {configOrPreset}", overrides);
    }
}
