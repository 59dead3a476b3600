namespace Trm.Tests.Fuzz;

/// <summary>
/// Runs a reader over mutated inputs, one deterministic seed per case: each case must end normally or with the
/// project's own <see cref="TrmException"/>, and must not grow the process's peak memory by more than
/// <see cref="MaxGrowthBytes"/>. Failures are collected (seed, exception) so that one run lists them all.
/// </summary>
public static class FuzzRunner
{
    /// <summary>Peak resident memory a single case may add (a reader must refuse before allocating what a file declares).</summary>
    public const long MaxGrowthBytes = 512L << 20;

    /// <param name="mutate">Makes the bytes of case <c>seed</c> from its random generator.</param>
    /// <param name="read">Reads the file at the given path as the program would.</param>
    /// <param name="seeds">The seeds to run; each target's list of seeds that once failed goes first.</param>
    public static void Run(string fileName, IEnumerable<int> seeds, Func<Random, byte[]> mutate, Action<string> read) =>
        Run(fileName, seeds, (random, directory) =>
        {
            var path = Path.Combine(directory, fileName);
            File.WriteAllBytes(path, mutate(random));
            return path;
        }, read);

    /// <param name="prepare">Writes case <c>seed</c> into the given empty directory and returns the path to read.</param>
    public static void Run(string name, IEnumerable<int> seeds, Func<Random, string, string> prepare, Action<string> read)
    {
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            using var dir = new TempDirectory();
            var path = prepare(new Random(seed), dir.Path);
            long before = PeakMemory.Reset();
            try
            {
                read(path);
            }
            catch (TrmException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message.Split('\n')[0]}\n    at {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Trm."))?.Trim()}");
            }
            long growth = PeakMemory.Peak() - before;
            if (growth > MaxGrowthBytes) failures.Add($"seed {seed}: peak memory grew by {growth >> 20} MB (limit {MaxGrowthBytes >> 20} MB)");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} {name} cases failed:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// The seeds a harness runs: those that once found a bug, then <paramref name="count"/> more from 0 (times the
    /// environment variable <c>TRM_FUZZ_SCALE</c> for a longer search by hand; CI runs the plain count).
    /// </summary>
    public static IEnumerable<int> Seeds(int count, params int[] foundFailing)
    {
        int scale = int.TryParse(Environment.GetEnvironmentVariable("TRM_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;
        return foundFailing.Concat(Enumerable.Range(0, count * scale)).Distinct();
    }
}
