namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>Medians and percentiles of one metric over the measured runs.</summary>
internal static class Statistics
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile, interpolated between neighbours.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
