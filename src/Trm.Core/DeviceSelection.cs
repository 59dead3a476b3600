using static TorchSharp.torch;

namespace Trm;

/// <summary>Turns a user's device name (<c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>) into a TorchSharp device, with a clear error when it is unavailable.</summary>
public static class DeviceSelection
{
    public static Device Parse(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == "cpu") return CPU;
        if (normalized == "cuda" || normalized.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new TrmException($"device '{name}': CUDA is not available. Build with -p:TorchBackend=cuda (TorchSharp-cuda-linux) on a machine with an NVIDIA GPU, or use the device cpu.");
            int index = normalized == "cuda" ? 0 : int.TryParse(normalized[5..], out var i) ? i : -1;
            if (index < 0 || index >= cuda.device_count())
                throw new TrmException($"device '{name}': there are {cuda.device_count()} CUDA devices (cuda:0 .. cuda:{cuda.device_count() - 1}).");
            return new Device(TorchSharp.DeviceType.CUDA, index);
        }
        throw new TrmException($"device '{name}' is unknown; use cpu, cuda or cuda:N.");
    }
}
