using static TorchSharp.torch;

namespace Trm.Tests;

public class DeviceSelectionTests
{
    [Fact]
    public void CpuIsAlwaysAvailable() => Assert.Equal(TorchSharp.DeviceType.CPU, DeviceSelection.Parse(" CPU ").type);

    [Fact]
    public void UnknownDeviceNamesTheChoices()
    {
        var error = Assert.Throws<TrmException>(() => DeviceSelection.Parse("tpu"));
        Assert.Equal("device 'tpu' is unknown; use cpu, cuda or cuda:N.", error.Message);
    }

    [Fact]
    public void CudaIsUsedWhereAvailableAndExplainedWhereNot()
    {
        if (cuda.is_available())
        {
            Assert.Equal(TorchSharp.DeviceType.CUDA, DeviceSelection.Parse("cuda:0").type);
            return;
        }
        var error = Assert.Throws<TrmException>(() => DeviceSelection.Parse("cuda:0"));
        Assert.Contains("CUDA is not available", error.Message);
        Assert.Contains("or use the device cpu", error.Message);
    }
}
