using System.Diagnostics;
using Trm.IO;

namespace Trm.Tests.IO;

/// <summary>
/// <see cref="UserFile"/>: only regular files are opened (after links), reads are capped by the format's limit rather than the
/// reported length, and two names of one file are recognised (trailing slash, <c>..</c>, symbolic and hard links).
/// </summary>
public class UserFileTests
{
    static void Shell(string program, params string[] args)
    {
        using var process = Process.Start(program, args)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void WhatIsNotARegularFileIsRefusedByName()
    {
        using var dir = new TempDirectory();
        Shell("mkfifo", dir.File("fifo"));
        File.CreateSymbolicLink(dir.File("loop-a"), dir.File("loop-b"));
        File.CreateSymbolicLink(dir.File("loop-b"), dir.File("loop-a"));
        File.CreateSymbolicLink(dir.File("dangling"), dir.File("nowhere"));
        File.CreateSymbolicLink(dir.File("to-zero"), "/dev/zero");
        Directory.CreateDirectory(dir.File("folder"));

        foreach (var (path, why) in new[]
        {
            ("/dev/zero", "not a regular file"), (dir.File("to-zero"), "not a regular file"), (dir.File("fifo"), "not a regular file"),
            (dir.File("folder"), "a directory"), (dir.File("loop-a"), "link"), (dir.File("dangling"), "not found"),
        })
        {
            // A FIFO would block an open and /dev/zero never ends: each is refused before it is opened.
            var error = Assert.Throws<TrmException>(() => UserFile.ReadAllBytes(path, 1 << 20, "a test file"));
            Assert.StartsWith($"{path}: ", error.Message);
            Assert.Contains(why, error.Message);
            Assert.EndsWith("expected a test file.", error.Message);
        }
    }

    [Fact]
    public void WhatNamesNoFileIsMissingNotAnError()
    {
        // Commands that take a puzzle or a file ask first whether the text names a file.
        foreach (var text in new[] { "", "1...2...3...4...", new string('1', 300), "a\0b", "/no/such/dir/file" })
            Assert.True(UserFile.IsMissing(text), text);
        Assert.False(UserFile.IsMissing("/dev/zero"));
    }

    [Fact]
    public void ReadsAreCappedByTheFormatNotByTheReportedLength()
    {
        // /proc files report a length of 0 and hold more: read up to the limit, refused past it.
        var status = UserFile.ReadAllText("/proc/self/status", 1 << 20, "a status file");
        Assert.Contains("VmRSS", status);
        var error = Assert.Throws<TrmException>(() => UserFile.ReadAllBytes("/proc/self/status", 16, "a status file"));
        Assert.Equal("/proc/self/status: more bytes, more than the limit of 16 for a status file; the file is damaged or not a status file.", error.Message);

        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("long.txt"), new string('1', 100));
        Assert.Throws<TrmException>(() => UserFile.ReadAllBytes(dir.File("long.txt"), 99, "a puzzle file"));
        Assert.Equal(100, UserFile.ReadAllBytes(dir.File("long.txt"), 100, "a puzzle file").Length);
        var line = Assert.Throws<TrmException>(() => UserFile.ReadLines(dir.File("long.txt"), 64, "a file of puzzles").ToList());
        Assert.Equal($"{dir.File("long.txt")}:1: the line is longer than 64 characters, the limit for a file of puzzles.", line.Message);
    }

    [Fact]
    public void TwoNamesOfOneFileAreTheSameFile()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("run/step_7"));
        File.WriteAllText(dir.File("run/step_7/model.pt"), "weights");
        File.CreateSymbolicLink(dir.File("alias"), dir.File("run/step_7"));
        Shell("ln", dir.File("run/step_7/model.pt"), dir.File("hard.pt"));
        File.WriteAllText(dir.File("other.pt"), "weights");

        Assert.True(UserFile.SameFile(dir.File("run/step_7/"), dir.File("run/step_7")));
        Directory.CreateDirectory(dir.File("run/x"));
        Assert.True(UserFile.SameFile(dir.File("run/x/../step_7"), dir.File("run/step_7")));
        Assert.True(UserFile.SameFile(dir.File("alias"), dir.File("run/step_7")));
        Assert.True(UserFile.SameFile(dir.File("hard.pt"), dir.File("run/step_7/model.pt")));
        Assert.False(UserFile.SameFile(dir.File("other.pt"), dir.File("run/step_7/model.pt")));

        // An output may be neither an input (under any name) nor a folder holding one; a new output replaces nothing.
        var same = Assert.Throws<TrmException>(() => UserFile.RequireNotInput(dir.File("alias/"), [dir.File("run/step_7")], "write it elsewhere"));
        Assert.Equal($"{dir.File("alias/")} is the input {dir.File("run/step_7")}; write it elsewhere.", same.Message);
        Assert.Throws<TrmException>(() => UserFile.RequireNotInput(dir.File("hard.pt"), [dir.File("run/step_7/model.pt")]));
        var holds = Assert.Throws<TrmException>(() => UserFile.RequireNotInput(dir.File("run"), [dir.File("alias/model.pt")]));
        Assert.Contains("holds the input", holds.Message);
        UserFile.RequireNotInput(dir.File("other.pt"), [dir.File("run/step_7/model.pt")]);
        UserFile.RequireNotInput(dir.File("new.pt"), [dir.File("run/step_7/model.pt")]);
    }
}
