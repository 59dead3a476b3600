using System.Text.Json;

namespace Trm.Logging;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c> in the run directory:
/// <c>{"step": 1200, "time": "2025-10-07T12:00:00.1234567Z", "split": "train", "loss": 0.41, ...}</c>.
/// "time" is UTC wall-clock time, so a resumed run, which reopens and appends to the same file, stays ordered.
/// NaN and infinities are written as null (JSON has no such numbers). Each line is flushed. Not thread-safe.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string FileName = "metrics.jsonl";

    static readonly string[] ReservedKeys = ["step", "time", "split"];

    readonly FileStream stream;
    readonly Utf8JsonWriter json;

    public string FilePath { get; }

    public MetricsLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        FilePath = Path.Combine(runDirectory, FileName);
        stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        // A run killed mid-line leaves no newline at the end; start on a fresh line so only that line is damaged.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            bool endsWithNewline = stream.ReadByte() == '\n';
            stream.Seek(0, SeekOrigin.End);
            if (!endsWithNewline) stream.WriteByte((byte)'\n');
        }
        json = new Utf8JsonWriter(stream);
    }

    /// <param name="split">"train", or the evaluated set's name.</param>
    /// <param name="metrics">Metric name to value; a name may not be "step", "time" or "split".</param>
    public void Write(long step, string split, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var reserved in ReservedKeys)
            if (metrics.ContainsKey(reserved)) throw new ArgumentException($"metric name \"{reserved}\" clashes with the line's own field", nameof(metrics));

        json.WriteStartObject();
        json.WriteNumber("step", step);
        json.WriteString("time", DateTime.UtcNow);   // ISO 8601, e.g. 2025-10-07T12:00:00.1234567Z
        json.WriteString("split", split);
        foreach (var (name, value) in metrics)
        {
            if (double.IsFinite(value)) json.WriteNumber(name, value);
            else json.WriteNull(name);
        }
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    public void Dispose()
    {
        json.Dispose();
        stream.Dispose();
    }
}
