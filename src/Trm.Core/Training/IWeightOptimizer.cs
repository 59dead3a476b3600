namespace Trm.Training;

/// <summary>An optimizer over the network's parameters whose learning rate the schedule sets each step.</summary>
public interface IWeightOptimizer
{
    double LearningRate { get; set; }
    void Step();
    void ZeroGrad();
}
