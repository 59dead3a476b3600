using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Trm.Cli.Commands;
using Trm.Configuration;
using Trm.Data;
using Trm.Limits;
using Trm.Model;
using Trm.Tests.Training;

namespace Trm.Tests.Limits;

/// <summary>
/// Generated from the one declaration of limits (<see cref="UserLimits"/>): every declared value is tried at its extremes (just
/// inside, just outside, null, negative, int.MaxValue, NaN where numeric, a missing field where a file must hold it) through the
/// entry point that reads it: the config loader and its validation, the <c>dataset.json</c> reader, the flag parser of every verb
/// that sets it, the environment reader. A value within its limit is accepted or refused cleanly (<see cref="TrmException"/>: a
/// rule between fields may still refuse it); one outside is refused, naming it; nothing else escapes. Each test counts what it
/// covered against the declaration, so a value added later is tried without a new case, and a numeric flag without a declared
/// limit fails.
/// </summary>
public class GeneratedLimitsTests
{
    /// <summary>A value to try, as YAML/JSON/flag text, and whether the limit admits it (null: missing from the file).</summary>
    public sealed record Trial(string? Text, bool Within);

    public static IEnumerable<Trial> Extremes(Limit limit)
    {
        static string N(double v) => v.ToString(Math.Floor(v) == v && Math.Abs(v) < 1e20 ? "F0" : "R", CultureInfo.InvariantCulture);   // whole numbers without an exponent
        bool Admits(double v) => limit.Problem(v) is null;
        yield return new("null", limit.Nullable);
        switch (limit.Kind)
        {
            case ValueKind.Integer:
            case ValueKind.Number:
                double step = limit.Kind == ValueKind.Integer ? 1 : Math.Max(1e-6, Math.Abs(limit.Max) * 1e-6);
                double lowStep = limit.Kind == ValueKind.Integer ? 1 : Math.Max(1e-6, Math.Abs(limit.Min) * 1e-6);
                foreach (var v in new[] { limit.Min, limit.Max, limit.Min - lowStep, limit.Max + step, limit.Min + lowStep, limit.Max - step, -1, int.MaxValue, 0.5 })
                    yield return new(N(v), Admits(v));
                yield return new(".nan", false);   // YAML's NaN; not a number to JSON or a flag: refused all the same
                break;
            case ValueKind.Text:
                yield return new("x", limit.Min <= 1);
                yield return new(new string('x', (int)limit.Max), true);
                yield return new(new string('x', (int)limit.Max + 1), false);
                break;
            case ValueKind.TextList:
            case ValueKind.List:
                string item = limit.Kind == ValueKind.List ? "{}" : "a";
                yield return new("[]", limit.Min == 0);
                yield return new($"[{item}]", limit.Max >= 1);
                yield return new($"[{string.Join(", ", Enumerable.Repeat(item, (int)limit.Max + 1))}]", false);
                yield return new("[null]", false);
                break;
            case ValueKind.Boolean:
                yield return new("true", true);
                yield return new("5", false);
                break;
        }
    }

    static void Expect(Trial trial, string name, Action read)
    {
        try
        {
            read();
            Assert.True(trial.Within, $"{name}={trial.Text}: accepted, but it is outside the declared limit");
        }
        catch (TrmException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            if (!trial.Within) Assert.True(e.Message.Contains(name, StringComparison.Ordinal), $"{name}={trial.Text}: refused without naming it: {e.Message}");
        }
    }

    static string Trimmed(string text) => text.Length > 60 ? text[..60] + "..." : text;

    [Fact]
    public void EveryConfigKeyIsAcceptedWithinItsLimitAndRefusedByNameOutside()
    {
        var covered = new HashSet<string>();
        foreach (var limit in UserLimits.Config.Concat(UserLimits.Arch))
        {
            bool isArch = UserLimits.Arch.Contains(limit);
            if (isArch && ArchConfig.DataDerivedKeys.Contains(limit.Name)) continue;   // dataset.json's to set: tried below
            var architecture = !isArch
                ? Architecture.Trm : Enum.GetValues<Architecture>().First(a => ArchitectureFields.Keys(a).Contains(limit.Name));
            var yaml = ConfigLoader.ToYaml(TinyTask.Config("data", "run", architecture: architecture));
            var key = (isArch ? "arch." : "") + limit.Name;
            foreach (var trial in Extremes(limit))
                Expect(trial, key, () => ConfigLoader.FromYaml(yaml, "test.yaml", [$"{key}={trial.Text}"]).Validate("test.yaml"));
            covered.Add(key);
        }
        Assert.Equal(UserLimits.Config.Count + UserLimits.Arch.Count(l => !ArchConfig.DataDerivedKeys.Contains(l.Name)), covered.Count);
    }

    [Fact]
    public void EveryDatasetFieldIsAcceptedWithinItsLimitAndRefusedByNameOutside()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        var file = Path.Combine(data, "train", "dataset.json");
        var original = File.ReadAllText(file);
        var covered = new HashSet<string>();
        foreach (var limit in UserLimits.Dataset)
        {
            var trials = Extremes(limit).Select(t => t with { Text = t.Text == ".nan" ? "\"NaN\"" : t.Text });   // JSON has no NaN literal
            if (limit.Required) trials = trials.Append(new Trial(null, false));
            foreach (var trial in trials)
            {
                var json = JsonNode.Parse(original)!.AsObject();
                if (trial.Text is null) json.Remove(limit.Name);
                else json[limit.Name] = JsonNode.Parse("0");   // replaced below as text, so that NaN and long lists are the file's own
                var text = trial.Text is null ? json.ToJsonString() : json.ToJsonString().Replace($"\"{limit.Name}\":0", $"\"{limit.Name}\":{Json(trial.Text, limit)}");
                File.WriteAllText(file, text);
                Expect(trial, limit.Name, () => PuzzleSplit.Open([data], "train").Dispose());
            }
            covered.Add(limit.Name);
        }
        File.WriteAllText(file, original);
        Assert.Equal(UserLimits.Dataset.Count, covered.Count);
        Assert.All(ArchConfig.DataDerivedKeys.Where(k => k != "batch_size"), k => Assert.Contains(k, covered));   // the model's sizes come from here
    }

    /// <summary>A trial's text as JSON: texts quoted, YAML-style list items quoted.</summary>
    static string Json(string text, Limit limit) => limit.Kind switch
    {
        ValueKind.Text when text != "null" => $"\"{text}\"",
        ValueKind.TextList when text.StartsWith('[') => text.Replace("[a", "[\"a\"").Replace(", a", ", \"a\""),
        _ => text,
    };

    [Fact]
    public void EveryNumericFlagHasADeclaredLimitThatItsParserApplies()
    {
        var root = TrmCommand.Create();
        var covered = new HashSet<string>();
        var unbound = new List<string>();
        int flags = 0;
        foreach (var (path, option) in Options(root, []))
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (!(type.IsPrimitive && type != typeof(bool))) continue;
            var where = $"trm {string.Join(' ', path)} {option.Name}";
            if (FlagLimits.Of(option) is not { } limit)
            {
                unbound.Add(where);
                continue;
            }
            foreach (var trial in Extremes(limit))
            {
                var parse = root.Parse([.. path, option.Name, trial.Text!]);
                var mine = parse.Errors.Where(e => e.Message.StartsWith($"error: {option.Name} ", StringComparison.Ordinal) || e.Message.Contains($"'{option.Name}'")).ToList();
                if (trial.Within) Assert.True(mine.Count == 0, $"{where} {trial.Text}: refused within its limit: {string.Join(" ", mine.Select(e => e.Message))}");
                else Assert.True(mine.Count > 0, $"{where} {Trimmed(trial.Text!)}: accepted outside its limit {limit.Range}");
            }
            covered.Add(limit.Name);
            flags++;
        }
        Assert.True(unbound.Count == 0, "numeric flags without a declared limit (UserLimits.Settings, FlagLimits.Within): " + string.Join(", ", unbound));
        Assert.True(flags >= 40, $"only {flags} numeric flags found");
        Assert.Equal(UserLimits.Settings.Select(l => l.Name).Order(), covered.Order());   // every declared setting is some flag's
    }

    static IEnumerable<(string[] Path, Option Option)> Options(Command command, string[] path)
    {
        foreach (var option in command.Options) yield return (path, option);
        foreach (var sub in command.Subcommands)
            foreach (var found in Options(sub, [.. path, sub.Name])) yield return found;
    }

    [Fact]
    public void EveryEnvironmentVariableIsReadWithinItsLimitAndRefusedByNameOutside()
    {
        foreach (var limit in UserLimits.Environment)
            foreach (var trial in Extremes(limit).Where(t => t.Text != "null"))
                Expect(trial, limit.Name, () => UserLimits.FromEnvironment(limit.Name, name => name == limit.Name ? trial.Text : null));
        Assert.Equal(5, UserLimits.Environment.Count);
    }
}
