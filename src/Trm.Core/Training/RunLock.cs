namespace Trm.Training;

/// <summary>
/// The one owner of a run directory: an operating-system lock on <see cref="FileName"/> inside it (a file opened with
/// <see cref="FileShare.None"/>, which .NET takes as an exclusive <c>flock</c> on Linux), held while a run trains there. A second
/// run into the same directory is refused while the first lives; the kernel drops the lock when its process ends, even by
/// <c>kill -9</c>, so a killed run never leaves the directory stuck (the file stays, empty and unlocked).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = "train.lock";   // not a dotted name: those are temporaries, which tidying removes

    readonly FileStream file;

    RunLock(FileStream file) => this.file = file;

    /// <summary>Takes <paramref name="runDirectory"/> (which exists), or a <see cref="TrmException"/> when another run holds it.</summary>
    public static RunLock Take(string runDirectory) => Take(runDirectory, FileMode.OpenOrCreate)!;

    /// <summary>Takes <paramref name="runDirectory"/> if a run ever locked it (null if not: nothing is written), or a
    /// <see cref="TrmException"/> when a run holds it now; for looking into a directory before it is known to be a run's.</summary>
    public static RunLock? TakeIfLocked(string runDirectory) => Take(runDirectory, FileMode.Open);

    static RunLock? Take(string runDirectory, FileMode mode)
    {
        var path = Path.Combine(runDirectory, FileName);
        try
        {
            return new RunLock(new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None));
        }
        catch (Exception e) when (mode == FileMode.Open && e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(path))   // held: .NET reports a lock as a plain IOException
        {
            throw new TrmException($"{runDirectory} is in use by another trm train (it holds {path}); wait for it to end or stop it, " +
                "or train into another directory (checkpoint_path or run_name).", e);
        }
    }

    public void Dispose() => file.Dispose();
}
