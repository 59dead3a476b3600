using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.IO;
using static TorchSharp.torch;

namespace Trm.Tests.Training;

/// <summary>Damaging copies of a trained checkpoint, one piece at a time, for the resume tests and their fuzz harness.</summary>
public static class CheckpointEdits
{
    /// <summary>A copy of a trained checkpoint with one file changed by <paramref name="damage"/>(path of the copy).</summary>
    public static string Damaged(string checkpoint, string copy, Action<string> damage)
    {
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        damage(copy);
        return copy;
    }

    public static void EditTensors(string file, Action<Dictionary<string, Tensor>> change)
    {
        var tensors = TorchCheckpointReader.ReadStateDict(file);
        change(tensors);
        TorchCheckpointWriter.Write(file, tensors);
        foreach (var t in tensors.Values) t.Dispose();
    }

    public static void EditState(string checkpoint, Action<JsonNode> change)
    {
        var path = Path.Combine(checkpoint, CheckpointFiles.State);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        change(node);
        File.WriteAllText(path, node.ToJsonString());
    }
}
