namespace Trm.Solving;

/// <summary>How well a score ranks right answers above wrong ones: the area under the ROC curve.</summary>
public static class RocArea
{
    /// <summary>The probability that a right item scores higher than a wrong one (ties count half): 1 perfect, 0.5 chance;
    /// NaN without both right and wrong items.</summary>
    public static double Of(IReadOnlyList<(double Score, bool Right)> items)
    {
        var ranked = items.OrderBy(r => r.Score).ToList();
        long right = ranked.Count(r => r.Right), wrong = ranked.Count - right;
        if (right == 0 || wrong == 0) return double.NaN;
        double rankSum = 0;
        for (int i = 0; i < ranked.Count;)
        {
            int j = i;
            while (j < ranked.Count && ranked[j].Score == ranked[i].Score) j++;
            rankSum += (i + 1 + j) / 2.0 * ranked.Skip(i).Take(j - i).Count(r => r.Right);   // ties share their mean rank
            i = j;
        }
        return (rankSum - right * (right + 1) / 2.0) / (right * (double)wrong);
    }
}
