namespace Trm.Puzzles;

/// <summary>Why a puzzle left its batch slot after the steps it ran.</summary>
public enum StopReason
{
    /// <summary>Every puzzle runs the same number of steps (the reference's evaluation); the Q head was not asked.</summary>
    FixedSteps,
    /// <summary>The Q head said done (its halting rule fired), at or before the step cap.</summary>
    QHead,
    /// <summary>The step cap ended it while the Q head had not said done.</summary>
    StepCap,
}
