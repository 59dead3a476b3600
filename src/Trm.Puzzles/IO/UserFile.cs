using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Trm.IO;

/// <summary>
/// The one way to open a file a user names. It must be a regular file once links are resolved: a directory, a FIFO (which
/// would block), a device (<c>/dev/zero</c> never ends), a socket, a link loop or a dangling link is refused with a message
/// naming the path. Whole-file reads are capped by what the format allows, counted as the bytes arrive, never by the length the
/// file reports (0 for <c>/proc</c> files). <see cref="SameFile"/> and <see cref="RequireNotInput"/> recognise two names
/// of one file (links, <c>..</c>, a trailing slash, hard links) wherever an output could overwrite an input.
/// </summary>
/// <remarks>
/// On Linux the kind and identity come from <c>statx(2)</c> (device and inode, following links): its struct has one layout on
/// every architecture, unlike <c>stat</c>'s, and it is the only sound identity (hard links share an inode, not a path). Elsewhere
/// the kind comes from the resolved link's attributes and the identity is the resolved full path (hard links are not seen there).
/// </remarks>
public static class UserFile
{
    /// <summary>What a path is, after links are resolved.</summary>
    public enum Kind { Missing, Regular, Directory, Other }

    /// <summary>A file's kind and identity (device and inode on Linux; the resolved path elsewhere). <see cref="Problem"/>: why it could not be examined.</summary>
    public readonly record struct Status(Kind Kind, ulong Device, ulong Inode, string Resolved, string? Problem = null);

    /// <summary>Whether nothing is at <paramref name="path"/> (a link loop or an unreadable path is something: <see cref="RequireRegular"/> names it).</summary>
    public static bool IsMissing(string path) => Examine(path) is { Kind: Kind.Missing, Problem: null };

    /// <summary>Refuses anything but a regular file; returns <paramref name="path"/>. <paramref name="what"/> names what it should be ("a checkpoint file").</summary>
    public static string RequireRegular(string path, string what)
    {
        var status = Examine(path);
        if (status.Kind == Kind.Regular) return path;
        throw new TrmException($"{path}: {status.Kind switch
        {
            Kind.Missing => status.Problem ?? "not found",
            Kind.Directory => "a directory",
            _ => "not a regular file (a device, FIFO or socket)",
        }}; expected {what}.");
    }

    /// <summary>Opens a regular file for reading (<see cref="RequireRegular"/>); the caller bounds what it reads by the format.</summary>
    public static FileStream OpenRead(string path, string what, int bufferSize = 4096)
    {
        RequireRegular(path, what);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TrmException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>A stream of the file that refuses to read past <paramref name="maxBytes"/>: for readers that parse as they read.</summary>
    public static Stream OpenCapped(string path, long maxBytes, string what)
    {
        var stream = OpenRead(path, what);
        if (stream.Length is var length && length > maxBytes)   // refused before reading when the length is known (it may be 0 and the file longer: /proc)
        {
            stream.Dispose();
            throw TooLarge(path, $"{length} bytes", maxBytes, what);
        }
        return new CappedStream(stream, maxBytes, path, what);
    }

    static TrmException TooLarge(string path, string size, long maxBytes, string what) =>
        new($"{path}: {size}, more than the limit of {maxBytes} for {what}; the file is damaged or not {what}.");

    /// <summary>
    /// The lines of a text file (UTF-8), streamed; a line longer than <paramref name="maxLineChars"/> is refused as it grows,
    /// so a file without line ends is never held whole.
    /// </summary>
    public static IEnumerable<string> ReadLines(string path, int maxLineChars, string what)
    {
        using var reader = new StreamReader(OpenRead(path, what), Encoding.UTF8);
        var line = new StringBuilder();
        int number = 1;
        for (int c; (c = reader.Read()) >= 0;)
        {
            if (c == '\n')
            {
                yield return line.ToString().TrimEnd('\r');
                line.Clear();
                number++;
            }
            else if (line.Length == maxLineChars)
                throw new TrmException($"{path}:{number}: the line is longer than {maxLineChars} characters, the limit for {what}.");
            else line.Append((char)c);
        }
        if (line.Length > 0) yield return line.ToString().TrimEnd('\r');
    }

    /// <summary>The whole file, refused once more than <paramref name="maxBytes"/> arrive (whatever length it reports).</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using var stream = OpenCapped(path, maxBytes, what);
        var bytes = new MemoryStream();
        try
        {
            stream.CopyTo(bytes);
        }
        catch (IOException e)
        {
            throw new TrmException($"{path}: cannot be read ({e.Message}).", e);
        }
        return bytes.ToArray();
    }

    /// <summary>The whole file as UTF-8 text (a byte-order mark skipped), capped as <see cref="ReadAllBytes"/>; invalid UTF-8 is refused.</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        var text = bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0);
        if (!System.Text.Unicode.Utf8.IsValid(text)) throw new TrmException($"{path}: not valid UTF-8 text; expected {what}.");
        return Encoding.UTF8.GetString(text);
    }

    /// <summary>Whether two paths name one file or directory (both must exist).</summary>
    public static bool SameFile(string a, string b) =>
        Examine(a) is { Kind: not Kind.Missing } x && Examine(b) is { Kind: not Kind.Missing } y && Identical(x, y);

    /// <summary>
    /// Refuses an <paramref name="output"/> that would overwrite or remove an input: one of <paramref name="inputs"/> itself, or
    /// (for an output directory that is replaced) a directory holding one. Outputs that do not exist yet replace nothing.
    /// </summary>
    public static void RequireNotInput(string output, IEnumerable<string?> inputs, string hint = "write the output somewhere else")
    {
        var target = Examine(output);
        if (target.Kind == Kind.Missing) return;
        foreach (var input in inputs.OfType<string>())
        {
            var source = Examine(input);
            if (source.Kind == Kind.Missing) continue;
            if (Identical(target, source)) throw new TrmException($"{output} is the input {input}; {hint}.");
            if (target.Kind == Kind.Directory)
                for (var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(source.Resolved)); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
                    if (Examine(parent) is var above && Identical(target, above))
                        throw new TrmException($"{output} holds the input {input} and would be replaced; {hint}.");
        }
    }

    static bool Identical(Status a, Status b) =>
        a.Kind != Kind.Missing && b.Kind != Kind.Missing && (OperatingSystem.IsLinux() ? a.Device == b.Device && a.Inode == b.Inode : a.Resolved == b.Resolved);

    /// <summary>The kind and identity of <paramref name="path"/>, links followed.</summary>
    public static Status Examine(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0')) return new Status(Kind.Missing, 0, 0, path);   // no file has such a name (a puzzle typed inline, say)
        var full = Path.GetFullPath(path);
        var status = OperatingSystem.IsLinux() ? Statx(full) : default;   // links followed; a loop is ELOOP
        if (OperatingSystem.IsLinux() && status.Kind == Kind.Missing) return status;
        string resolved;
        try
        {
            resolved = Resolve(full);
        }
        catch (IOException e)   // a link loop, or a link too long to follow
        {
            return new Status(Kind.Missing, 0, 0, full, $"its links cannot be resolved ({e.Message})");
        }
        return OperatingSystem.IsLinux() ? status with { Resolved = resolved } : Attributes(resolved);
    }

    // Every link on the way resolved (a link loop throws), so that a directory's parents are the real ones.
    static string Resolve(string full)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                current = Resolve(Path.GetFullPath(target.FullName));
        }
        return current;
    }

    static Status Attributes(string resolved)
    {
        var info = new FileInfo(resolved);
        if (Directory.Exists(resolved)) return new Status(Kind.Directory, 0, 0, resolved);
        if (!info.Exists) return new Status(Kind.Missing, 0, 0, resolved);
        return new Status(info.Attributes.HasFlag(FileAttributes.Device) ? Kind.Other : Kind.Regular, 0, 0, resolved);
    }

    // struct statx: stx_mode (u16) at byte 28, stx_ino (u64) at 32, stx_dev_major/minor (u32) at 136 and 140; 256 bytes in all.
    static Status Statx(string full)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, full, 0, StatxType | StatxIno, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return new Status(Kind.Missing, 0, 0, full, errno switch
            {
                2 or 20 or 36 => null,   // ENOENT, ENOTDIR, ENAMETOOLONG: nothing there
                40 => "a link loop (too many levels of symbolic links)",
                13 => "permission denied",
                _ => $"cannot be examined (error {errno})",
            });
        }
        int type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)) & 0xF000;
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        var kind = type switch { 0x8000 => Kind.Regular, 0x4000 => Kind.Directory, _ => Kind.Other };
        return new Status(kind, device, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32)), full);
    }

    sealed class CappedStream(FileStream inner, long maxBytes, string path, string what) : Stream
    {
        long read;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            if ((read += n) > maxBytes) throw TooLarge(path, "more bytes", maxBytes, what);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    const int AtFdCwd = -100;
    const uint StatxType = 0x1, StatxIno = 0x100;

    [DllImport("libc", SetLastError = true)]
    static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
