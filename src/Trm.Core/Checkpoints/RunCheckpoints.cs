using Trm.IO;

namespace Trm.Checkpoints;

/// <summary>
/// The checkpoints of one run directory: <c>step_N</c> folders written at evaluations and <c>interrupted</c> written
/// when a run is stopped. Each appears by an atomic rename only once complete, so any of them that holds
/// <c>trainer_state.json</c> can be resumed from; this class finds the newest, prunes older ones, and tidies what a
/// killed process left behind.
/// </summary>
public static class RunCheckpoints
{
    public const string Interrupted = "interrupted", StepPrefix = "step_";

    /// <summary>One complete checkpoint directory and the optimizer step it holds.</summary>
    public sealed record Saved(string Directory, long Step);

    /// <summary>Removes temporaries of writes that never finished and restores a checkpoint a replacement was cut short for.</summary>
    public static IReadOnlyList<string> Tidy(string runDirectory) => AtomicOutput.Recover(runDirectory);

    /// <summary>Whether <paramref name="directory"/> is a checkpoint the trainer wrote (it holds the resume state).</summary>
    public static bool IsCheckpoint(string directory) => File.Exists(Path.Combine(directory, CheckpointFiles.State));

    /// <summary>The complete checkpoints in <paramref name="runDirectory"/>, oldest first (by step; at one step an evaluation's before <c>interrupted</c>).</summary>
    public static IReadOnlyList<Saved> All(string runDirectory)
    {
        if (!Directory.Exists(runDirectory)) return [];
        return Directory.GetDirectories(runDirectory)
            .Where(d => Path.GetFileName(d) is var name && (name == Interrupted || name.StartsWith(StepPrefix, StringComparison.Ordinal)) && IsCheckpoint(d))
            .Select(d => StepOf(d) is { } step ? new Saved(d, step) : null).OfType<Saved>()
            .OrderBy(s => s.Step).ThenBy(s => Path.GetFileName(s.Directory) == Interrupted)
            .ToList();
    }

    // A state file that does not read (damaged by hand) makes that folder no checkpoint rather than stopping the search.
    static long? StepOf(string directory)
    {
        try
        {
            return CheckpointFiles.ReadState(directory).Step;
        }
        catch (TrmException)
        {
            return null;
        }
    }

    /// <summary>The newest complete checkpoint of a run, or null when none was written (no evaluation finished and it was never stopped cleanly).</summary>
    public static Saved? Newest(string runDirectory) => All(runDirectory).LastOrDefault();

    /// <summary>
    /// After <paramref name="latest"/> was written: removes the checkpoints it supersedes (none of a later step), <c>interrupted</c>
    /// always and the earlier <c>step_N</c> unless <paramref name="keepEarlierSteps"/> (<c>checkpoint_every_eval</c>).
    /// </summary>
    public static void Prune(string runDirectory, Saved latest, bool keepEarlierSteps)
    {
        var keep = Path.GetFullPath(latest.Directory);
        foreach (var saved in All(runDirectory))
        {
            if (Path.GetFullPath(saved.Directory) == keep || saved.Step > latest.Step) continue;
            bool interrupted = Path.GetFileName(saved.Directory) == Interrupted;
            if (interrupted || !keepEarlierSteps) AtomicOutput.DeleteDirectory(saved.Directory);
        }
    }
}
