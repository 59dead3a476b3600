using System.Security.Cryptography;
using System.Text.Json;
using Trm.Configuration;
using Trm.Data;
using Trm.Distributed;
using static TorchSharp.torch;

namespace Trm.Training;

/// <summary>
/// What the ranks of a data-parallel job must share, checked by fingerprint: at the start the config, the datasets' metadata
/// and the build of trm; at the start and every evaluation the weights, which identical gradient sums keep identical.
/// </summary>
public static class ReplicaCheck
{
    public static void SameRun(ICollectives group, TrainConfig config, DatasetMetadata metadata)
    {
        if (!group.IsDistributed()) return;
        var build = typeof(ReplicaCheck).Assembly.ManifestModule.ModuleVersionId;   // the same source builds the same id
        var fingerprint = $"build {build}, config {Hash(ConfigLoader.ToYaml(config))}, data {Hash(JsonSerializer.Serialize(metadata))}";
        group.RequireSame("config, data or build of trm", fingerprint,
            "Start every rank with the same trm build, config and datasets (a shared folder, or identical copies at the same paths).");
    }

    public static void SameWeights(ICollectives group, TorchSharp.torch.nn.Module model, long step)
    {
        if (!group.IsDistributed()) return;
        using var scope = NewDisposeScope();
        using var sha = SHA256.Create();
        foreach (var (_, value) in model.state_dict().OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var bytes = value.detach().cpu().contiguous().bytes;
            sha.TransformBlock(bytes.ToArray(), 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        group.RequireSame($"weights at step {step}", Convert.ToHexString(sha.Hash!),
            "The ranks' training diverged although each applies the same summed gradients; this is a bug in trm, please report it.");
    }

    static string Hash(string text) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
}
