using System.Text.Json.Nodes;
using Trm.Checkpoints;
using Trm.Configuration;
using Trm.Tests.Training;
using Trm.Training;

namespace Trm.Tests.Cli;

/// <summary>
/// The families of issue 22 through <c>trm</c> itself: paths that are not regular files, outputs that are an input under
/// another name, a dataset wrong only as a whole, and resume state from another device. Each ends with exit code 2 and one
/// line naming the file, and leaves what it was given as it was.
/// </summary>
[Collection(nameof(SequentialTraining))]
public class FileSafetyCliTests
{
    /// <summary>A short run of the tiny task: its data, its config file and its one checkpoint.</summary>
    static (string Data, string Config, string Checkpoint) TinyRun(TempDirectory dir)
    {
        var data = TinyTask.Build(dir.File("data"));
        var config = TinyTask.Config(data, dir.File("run"), epochs: 2, evalInterval: 2) with { Threads = 1 };
        File.WriteAllText(dir.File("tiny.yaml"), ConfigLoader.ToYaml(config));
        using (var trainer = new Trainer(config, dir.File("run"))) trainer.Run(new RecordingObserver());
        return (data, dir.File("tiny.yaml"), Assert.Single(Directory.GetDirectories(dir.File("run"), "step_*")));
    }

    static Dictionary<string, byte[]> Contents(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    static void AssertRefused((int ExitCode, string Stdout, string Stderr) run, string names)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(names, line);
        Assert.DoesNotContain("internal error", line);
    }

    [Fact]
    public void ConvertRefusesToReplaceItsOwnInputUnderAnyName()
    {
        using var dir = new TempDirectory();
        var (_, _, checkpoint) = TinyRun(dir);
        var before = Contents(checkpoint);
        File.CreateSymbolicLink(dir.File("alias"), checkpoint);

        // The same directory with a trailing slash, through a link, its weights file, and the run folder holding it.
        foreach (var (input, output) in new[]
        {
            (checkpoint + "/", checkpoint), (checkpoint, dir.File("alias")), (dir.File("alias"), checkpoint + "/"),
            (checkpoint, Path.Combine(checkpoint, CheckpointFiles.Weights)), (Path.Combine(checkpoint, CheckpointFiles.Weights), dir.File("run")),
        })
        {
            var extra = input.EndsWith(".pt") ? new[] { "--config", Path.Combine(checkpoint, CheckpointFiles.Config) } : [];
            AssertRefused(TrmProcess.Run(["convert", input, output, "--force", .. extra]), "write the conversion somewhere else");
            Assert.Equal(before, Contents(checkpoint));
        }

        // A hard link of the input as the output file.
        using (var link = System.Diagnostics.Process.Start("ln", [Path.Combine(checkpoint, CheckpointFiles.Weights), dir.File("weights.pt")])!) link.WaitForExit();
        AssertRefused(TrmProcess.Run("convert", checkpoint, dir.File("weights.pt"), "--force"), "is the input");
        Assert.Equal(before, Contents(checkpoint));

        // Elsewhere it converts.
        var converted = TrmProcess.Run("convert", checkpoint + "/", dir.File("copy"));
        Assert.True(converted.ExitCode == 0, converted.Stderr);
    }

    [Fact]
    public void PathsThatAreNotFilesAreRefusedBeforeTheyAreRead()
    {
        using var dir = new TempDirectory();
        // /dev/zero reports length 0 and never ends: refused by kind, in bounded memory (it once grew to 8 GB).
        AssertRefused(TrmProcess.Run("solve", "sudoku", "--checkpoint", dir.File("none"), "/dev/zero"), "/dev/zero: not a regular file");
        Directory.CreateDirectory(dir.File("folder"));
        AssertRefused(TrmProcess.Run("solve", "maze", "--checkpoint", dir.File("none"), dir.File("folder")), $"{dir.File("folder")}: a directory");
        File.CreateSymbolicLink(dir.File("loop"), dir.File("loop"));
        AssertRefused(TrmProcess.Run("render", "trajectory", dir.File("loop"), "--out", dir.File("out.png")), dir.File("loop"));
        Assert.False(File.Exists(dir.File("out.png")));
    }

    [Fact]
    public void WritersRefuseAnOutputThatIsTheirInput()
    {
        using var dir = new TempDirectory();
        var puzzles = dir.File("puzzles.txt");
        File.WriteAllText(puzzles, "1.3.\n.4.2\n2.4.\n.1.3\n".Replace("\n", "") + "\n");
        File.CreateSymbolicLink(dir.File("answers.json"), puzzles);
        AssertRefused(TrmProcess.Run("solve", "sudoku", "--checkpoint", dir.File("none"), puzzles, "--out", dir.File("answers.json")), "choose another --out");
        Assert.Equal("1.3..4.22.4..1.3\n", File.ReadAllText(puzzles));

        File.WriteAllText(dir.File("maze.txt"), "S #\n  G\n## \n");
        File.CreateSymbolicLink(dir.File("maze.png"), dir.File("maze.txt"));
        AssertRefused(TrmProcess.Run("render", "maze", dir.File("maze.txt"), "--out", dir.File("maze.png"), "--force"), "choose another --out");
        Assert.Equal("S #\n  G\n## \n", File.ReadAllText(dir.File("maze.txt")));
    }

    [Fact]
    public void ADatasetWrongOnlyAsAWholeIsRefusedBeforeTheRunDirectoryExists()
    {
        using var dir = new TempDirectory();
        var data = TinyTask.Build(dir.File("data"));
        File.WriteAllText(dir.File("tiny.yaml"), ConfigLoader.ToYaml(TinyTask.Config(data, dir.File("run"), epochs: 2, evalInterval: 2)));
        var json = Path.Combine(data, "train", "dataset.json");
        var metadata = JsonNode.Parse(File.ReadAllText(json))!;
        metadata["pad_id"] = 99;   // outside the vocabulary of 6: an index error in the embedding, once
        File.WriteAllText(json, metadata.ToJsonString());

        AssertRefused(TrmProcess.Run("train", "--config", dir.File("tiny.yaml")), $"{json}: pad_id 99 is outside the vocabulary [0, 6)");
        Assert.False(Directory.Exists(dir.File("run")));
    }

    [Fact]
    public void AGeneratorStateFromACudaRunIsRefusedOnResume()
    {
        using var dir = new TempDirectory();
        var (_, _, checkpoint) = TinyRun(dir);
        var stateFile = Path.Combine(checkpoint, CheckpointFiles.State);
        var state = JsonNode.Parse(File.ReadAllText(stateFile))!;
        // A CUDA generator's state is its seed and offset, 16 bytes; libtorch aborts the process (exit 134) when a CPU generator is given it.
        state["exploration_generator_state"] = Convert.ToBase64String([.. BitConverter.GetBytes(0UL), .. BitConverter.GetBytes(4L)]);
        File.WriteAllText(stateFile, state.ToJsonString());

        AssertRefused(TrmProcess.Run("train", "--resume", dir.File("run")), $"{stateFile} (exploration_generator_state): 16 bytes");
    }
}
