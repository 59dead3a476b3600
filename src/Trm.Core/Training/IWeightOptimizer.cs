namespace Trm.Training;

/// <summary>An optimizer over the network's parameters whose learning rate the schedule sets each step; disposing frees its state.</summary>
public interface IWeightOptimizer : IDisposable
{
    double LearningRate { get; set; }
    void Step();
    void ZeroGrad();
}
