// MSBuild task compiled by RoslynCodeTaskFactory (see TorchSharpNativeFix.targets).
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so records a dependency on the libstdc++ symbol
// version GLIBCXX_3.4.32 (GCC 13) for a single symbol it never calls
// (std::ios_base_library_init). Debian 12 and Ubuntu 22.04 ship GCC 12's libstdc++, so the
// dynamic loader refuses the library. Setting VER_FLG_WEAK (0x2) on that one Vernaux entry of
// the ELF .gnu.version_r section makes glibc accept a missing version instead of failing.
// Systems whose libstdc++ already defines the version are left untouched.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkGlibcxxVersionWeak : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    /// <summary>Folders searched recursively for libLibTorchSharp.so.</summary>
    [Required] public ITaskItem[] Directories { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (SystemLibstdcxxHasVersion()) return true; // the targets call this on Linux only
        foreach (var dir in Directories.Select(d => d.ItemSpec).Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (Patch(file))
                        Log.LogMessage(MessageImportance.High, $"TorchSharp native fix: marked {Version} weak in {file}");
                }
                catch (Exception e)
                {
                    Log.LogError($"TorchSharp native fix: could not patch {file}: {e.Message}");
                }
            }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibstdcxxHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return false;
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && bytes[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets the weak flag on the GLIBCXX_3.4.32 requirement; false when nothing changed.</summary>
    static bool Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            return false; // not a little-endian ELF64 file: nothing we know how to patch

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int verneed = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + link * shentsize) + 0x18));

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
            for (int need = verneed; ; )
            {
                int count = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < count; a++)
                {
                    if (ReadCString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)) == Version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) return false;
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, aux + 4);
                        var temp = path + ".patching";
                        File.WriteAllBytes(temp, elf);
                        File.Copy(temp, path, overwrite: true);
                        File.Delete(temp);
                        return true;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return false;
    }

    static string ReadCString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.ASCII.GetString(data, offset, end - offset);
    }
}
