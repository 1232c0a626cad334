namespace DslNet.Training;

/// <summary>Precision, recall and the area under the ROC curve of a binary classifier's scores against 0/1 labels.</summary>
internal static class BinaryMetrics
{
    /// <summary>
    /// Precision and recall at probability &gt; 0.5 (<paramref name="scores"/> are logits, so logit &gt; 0), labels counted
    /// positive when &gt; 0.5 (Keras' thresholds); the AUC from the ranks of the scores.
    /// </summary>
    public static (double Precision, double Recall, double Auc) Compute(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        long truePositives = 0, predictedPositives = 0, positives = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var predicted = scores[i] > 0;
            var positive = labels[i] > 0.5;
            predictedPositives += predicted ? 1 : 0;
            positives += positive ? 1 : 0;
            truePositives += predicted && positive ? 1 : 0;
        }

        var precision = predictedPositives == 0 ? double.NaN : truePositives / (double)predictedPositives;
        var recall = positives == 0 ? double.NaN : truePositives / (double)positives;
        return (precision, recall, Auc(scores, labels));
    }

    /// <summary>
    /// ROC AUC = the probability that a random positive scores above a random negative (ties count ½): the Mann–Whitney
    /// statistic, (Σ ranks of positives − P(P+1)/2) / (P·Q), with tied scores given their average rank. NaN with one class.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRanks = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] > 0.5)
                {
                    positiveRanks += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = order.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (positiveRanks - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
