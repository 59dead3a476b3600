using System.Text.Json;
using Trm.Logging;

namespace Trm.Tests.Logging;

public class MetricsLogTests
{
    static List<JsonElement> ReadLines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    [Fact]
    public void WritesOneJsonObjectPerLine()
    {
        using var run = new TempDirectory();
        var before = DateTime.UtcNow;
        using var log = new MetricsLog(run.Path);
        log.Write(100, "train", new Dictionary<string, double> { ["loss"] = 0.1, ["accuracy"] = 1.0 / 3, ["lr"] = 1e-4 });
        log.Write(200, "all", new Dictionary<string, double> { ["exact_accuracy"] = 0.875 });

        // Read while still open: each line must already be flushed.
        string text;
        using (var reader = new StreamReader(new FileStream(log.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))) text = reader.ReadToEnd();
        Assert.Equal(Path.Combine(run.Path, "metrics.jsonl"), log.FilePath);
        Assert.EndsWith("\n", text);
        Assert.Contains("\"loss\":0.1,", text);   // shortest round-trip form, not 0.10000000000000001

        var lines = ReadLines(log.FilePath);
        Assert.Equal(2, lines.Count);
        Assert.Equal(["step", "time", "split", "loss", "accuracy", "lr"], lines[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(100, lines[0].GetProperty("step").GetInt64());
        Assert.Equal("train", lines[0].GetProperty("split").GetString());
        Assert.Equal(1.0 / 3, lines[0].GetProperty("accuracy").GetDouble());
        Assert.Equal(1e-4, lines[0].GetProperty("lr").GetDouble());
        var time = lines[0].GetProperty("time").GetDateTime();
        Assert.Equal(DateTimeKind.Utc, time.Kind);
        Assert.InRange(time, before, DateTime.UtcNow);
        Assert.Equal("all", lines[1].GetProperty("split").GetString());
        Assert.Equal(0.875, lines[1].GetProperty("exact_accuracy").GetDouble());
    }

    [Fact]
    public void WritesNonFiniteValuesAsNull()
    {
        using var run = new TempDirectory();
        using (var log = new MetricsLog(run.Path))
            log.Write(1, "train", new Dictionary<string, double> { ["nan"] = double.NaN, ["inf"] = double.PositiveInfinity, ["ninf"] = double.NegativeInfinity, ["ok"] = -2 });

        var line = Assert.Single(ReadLines(Path.Combine(run.Path, MetricsLog.FileName)));
        Assert.Equal(JsonValueKind.Null, line.GetProperty("nan").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("inf").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("ninf").ValueKind);
        Assert.Equal(-2, line.GetProperty("ok").GetDouble());
    }

    [Fact]
    public void AReopenedLogAppends()
    {
        using var run = new TempDirectory();
        using (var log = new MetricsLog(run.Path)) log.Write(1, "train", new Dictionary<string, double> { ["loss"] = 3 });
        using (var log = new MetricsLog(run.Path)) log.Write(2, "train", new Dictionary<string, double> { ["loss"] = 2 });

        Assert.Equal([1L, 2L], ReadLines(Path.Combine(run.Path, MetricsLog.FileName)).Select(l => l.GetProperty("step").GetInt64()));
    }

    [Fact]
    public void AppendingAfterALineCutShortStartsAFreshLine()
    {
        using var run = new TempDirectory();
        var path = Path.Combine(run.Path, MetricsLog.FileName);
        File.WriteAllText(path, "{\"step\":1,\"split\":\"train\"}\n{\"step\":2,\"spl");   // a run killed mid-write
        using (var log = new MetricsLog(run.Path)) log.Write(3, "train", new Dictionary<string, double> { ["loss"] = 1 });

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal("{\"step\":2,\"spl", lines[1]);
        Assert.Equal(3, JsonDocument.Parse(lines[2]).RootElement.GetProperty("step").GetInt64());
    }

    [Fact]
    public void RejectsAMetricNamedLikeALineField()
    {
        using var run = new TempDirectory();
        using var log = new MetricsLog(run.Path);
        var error = Assert.Throws<ArgumentException>(() => log.Write(1, "train", new Dictionary<string, double> { ["step"] = 1 }));
        Assert.Contains("\"step\"", error.Message);
        Assert.Equal(0, new FileInfo(log.FilePath).Length);
    }
}
