using Trm.IO;
using Trm.Model;
using Trm.Training;
using Trm.Checkpoints;

namespace Trm.Tests.Training;

public class InitialWeightsTests
{
    [Fact]
    public void AReferenceCheckpointLoadsAndAMisSizedPuzzleTableBecomesItsMeanRow()
    {
        using var dir = new TempDirectory();
        using var trained = new ActLossHead(TinyModels.Config() with { NumPuzzleIdentifiers = 5 });
        using (var noGrad = TorchSharp.torch.no_grad())
            trained.Model.Inner.PuzzleEmbedding!.Weights.normal_();   // the table starts at zero; give it rows to average
        var file = dir.File("step_100");
        TorchCheckpointWriter.Write(file, trained.state_dict(), TorchCheckpointReader.CompiledPrefix);   // as the paper's pretrain.py saves

        using var fresh = new ActLossHead(TinyModels.Config() with { NumPuzzleIdentifiers = 3 });
        InitialWeights.Load(fresh, file);

        var source = trained.state_dict();
        foreach (var (name, tensor) in fresh.state_dict())
        {
            if (name == "model.inner.puzzle_emb.weights") continue;
            TensorAssert.Identical(source[name], tensor);
        }
        var table = fresh.Model.Inner.PuzzleEmbedding!.Weights;
        Assert.Equal([3L, 32L], table.shape);
        var mean = source["model.inner.puzzle_emb.weights"].mean([0], keepdim: true);
        for (int row = 0; row < 3; row++) TensorAssert.Identical(mean.squeeze(0), table[row]);
    }

    [Fact]
    public void AMissingFileSaysWhatToPass()
    {
        using var model = new ActLossHead(TinyModels.Config());
        var error = Assert.Throws<TrmException>(() => InitialWeights.Load(model, "/no/such/run"));
        Assert.Contains("load_checkpoint: /no/such/run not found", error.Message);
    }
}
