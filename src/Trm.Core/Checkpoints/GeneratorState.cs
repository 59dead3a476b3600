using System.Buffers.Binary;
using static TorchSharp.torch;

namespace Trm.Checkpoints;

/// <summary>
/// A random generator's state as <c>trainer_state.json</c> keeps it (base64 of libtorch's bytes). libtorch aborts the process on
/// a state it cannot use (the wrong size, as a CUDA run's is on the CPU, or an invalid Mersenne Twister), so a saved state is
/// checked against the generator it is restored into before libtorch sees it.
/// </summary>
public static class GeneratorState
{
    public static string Save(Generator generator)
    {
        using var state = generator.get_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    /// <summary>Refuses a saved state <paramref name="generator"/> cannot take; <paramref name="field"/> names its file and field.</summary>
    public static void Check(Generator generator, string saved, string field) => Checked(generator, saved, field);

    /// <summary>Sets a saved state into <paramref name="generator"/>, checked first (<see cref="Check"/>).</summary>
    public static void Restore(Generator generator, string saved, string field)
    {
        using var state = tensor(Checked(generator, saved, field));
        generator.set_state(state);
    }

    static byte[] Checked(Generator generator, string saved, string field) => Problem(generator, saved, out var problem)
        ?? throw new TrmException($"{field}: {problem}; resume with the device the run was trained on, or start the run again.");

    /// <summary>The saved bytes, or null with <paramref name="problem"/> saying why <paramref name="generator"/> cannot take them.</summary>
    static byte[]? Problem(Generator generator, string saved, out string? problem)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(saved);
        }
        catch (FormatException)
        {
            problem = "not base64 text of a generator state";
            return null;
        }
        long size;
        using (var current = generator.get_state()) size = current.numel();
        var device = generator.device;
        bool cpu = device.type == TorchSharp.DeviceType.CPU;
        problem = bytes.Length != size
            ? $"{bytes.Length} bytes, but this run's {device.type} generator keeps {size} ({(bytes.Length == CudaStateBytes ? "a CUDA generator's state: the run was trained on a GPU" : "saved by another device or libtorch")})"
            : cpu ? MersenneTwisterProblem(bytes) : bytes.Length == CudaStateBytes && BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) % 4 != 0
                ? "a CUDA generator's offset that is not a multiple of 4" : null;
        return problem is null ? bytes : null;
    }

    /// <summary>A CUDA (Philox) generator's state: seed and offset, 8 bytes each.</summary>
    const int CudaStateBytes = 16;

    // libtorch's CPU state starts with the legacy layout: the_initial_seed (u64), left (i32), seeded (i32), next (u64), then
    // 624 words; it refuses (by aborting) a state unless seeded, 1 <= left <= 624 and next <= 624.
    static string? MersenneTwisterProblem(byte[] bytes)
    {
        const int words = 624;
        int left = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        uint next = (uint)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        return seeded != 0 && left is >= 1 and <= words && next <= words ? null
            : $"not a valid Mersenne Twister state (seeded {seeded}, left {left}, next {next})";
    }
}
