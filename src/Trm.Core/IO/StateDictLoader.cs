using TorchSharp;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Copies a state dict into a module after checking it fits: every key the module saves must be
/// present with the same shape, and no unknown key may be left over. All problems are reported
/// together, by name. Values are cast to the module's dtypes (a bfloat16 checkpoint loads into a
/// float32 model). The caller keeps and disposes the state dict; the conversions are freed here.
/// </summary>
public static class StateDictLoader
{
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        using var scope = NewDisposeScope();   // the converted copies
        var expected = module.state_dict();
        Check(expected.ToDictionary(e => e.Key, e => e.Value.shape), stateDict, source);
        using var noGrad = no_grad();
        foreach (var (key, target) in expected)
            target.copy_(stateDict[key].to(target.dtype, target.device));
    }

    /// <summary>Checks a state dict against the keys and shapes a model saves, without a model's memory.</summary>
    public static void Check(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var missing = expected.Keys.Where(k => !stateDict.ContainsKey(k)).Order().ToList();
        var extra = stateDict.Keys.Where(k => !expected.ContainsKey(k)).Order().ToList();
        var misShaped = expected.Where(e => stateDict.TryGetValue(e.Key, out var t) && !t.shape.SequenceEqual(e.Value))
            .Select(e => $"{e.Key}: checkpoint [{string.Join(", ", stateDict[e.Key].shape)}], model [{string.Join(", ", e.Value)}]")
            .Order().ToList();
        if (missing.Count + extra.Count + misShaped.Count == 0) return;

        // One line, as every error trm prints: the problems are separated by "; ".
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
        if (extra.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", extra));
        if (misShaped.Count > 0) problems.Add("wrong shapes: " + string.Join("; ", misShaped));
        throw new TrmException($"{source} does not fit this model configuration ({string.Join("; ", problems)}). " +
            "Check that the configuration (all_config.yaml, manifest or flags) is the one the checkpoint was trained with.");
    }
}
