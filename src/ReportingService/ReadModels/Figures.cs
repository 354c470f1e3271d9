using System.Globalization;

namespace Kim.ReportingService.ReadModels;

/// <summary>
/// One counter of the read model: how often something was seen, per dimension (a phase, a provider, a chain step ...),
/// per month (<c>yyyy-MM</c>, empty where the report needs no period) and per bucket (hours of a duration, target days,
/// or 0).
/// </summary>
public readonly record struct CounterKey(string Report, string Dimension, string Month, int Bucket)
{
    public static CounterKey Of(string report, string dimension = "", DateTime? month = null, int bucket = 0) =>
        new(report, dimension, month is { } at ? MonthOf(at) : "", bucket);

    public static string MonthOf(DateTime at) => at.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>Months from <see cref="From"/> to <see cref="To"/> (<c>yyyy-MM</c>, both included; either open).</summary>
public sealed record MonthRange(string? From, string? To)
{
    public bool Contains(string month) =>
        (From is null || string.CompareOrdinal(month, From) >= 0) && (To is null || string.CompareOrdinal(month, To) <= 0);

    public bool Contains(DateTime at) => Contains(CounterKey.MonthOf(at));
}

/// <summary>The names of the read model's counters (<see cref="CounterKey.Report"/>).</summary>
public static class Figure
{
    public const string Stay = "stay";
    public const string GoalsAgreed = "goals-agreed";
    public const string GoalsEvaluated = "goals-evaluated";
    public const string GoalsAchieved = "goals-achieved";
    public const string GoalsPartlyAchieved = "goals-partly-achieved";
    public const string Reviews = "reviews";
    public const string CasesOpened = "cases-opened";
    public const string CasesReferred = "cases-referred";
    public const string CasesTaken = "cases-taken";
    public const string ReferralStatus = "referral-status";
    public const string ReferralProvider = "referral-provider";
    public const string ReferralDomain = "referral-domain";
    public const string ReferralsOpen = "referrals-open";
    public const string ReferralsIssued = "referrals-issued";
    public const string StepReferrals = "step-referrals";
    public const string StepTarget = "step-target";
    public const string StepDecided = "step-decided";
    public const string StepRejected = "step-rejected";
    public const string StepHandover = "step-handover";
    public const string StepLate = "step-late";
    public const string StepWithdrawn = "step-withdrawn";
    public const string Opened = "opened";
    public const string Ended = "ended";
    public const string OpenByTenant = "open-tenant";
    public const string OpenByPhase = "open-phase";
    public const string OpenByResidence = "open-residence";
    public const string OpenByAge = "open-age";
    public const string Reconstructions = "reconstructions";
    public const string StepBarriers = "step-barriers";
    public const string ProviderBarriers = "provider-barriers";

    /// <summary>Durations are counted in whole hours: medians are reported in days to one decimal (2.4 hours).</summary>
    public static int Hours(TimeSpan duration) => (int)Math.Clamp(Math.Floor(duration.TotalHours), 0, int.MaxValue);

    public static string Step(Guid chain, int version, int step) => string.Create(CultureInfo.InvariantCulture, $"{chain:D}/{version}/{step}");

    public static (Guid Chain, int Version, int Step) ParseStep(string dimension)
    {
        var parts = dimension.Split('/');
        return (Guid.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A referral still waiting for the provider's answer (issued, neither answered nor cancelled): past its target once
/// <see cref="DueAt"/> is reached; its age counts, censored, in the handover time of its chain step.
/// </summary>
public sealed class OpenReferral
{
    /// <summary>Which build of the read model the row belongs to (see <see cref="ReportCounter.Generation"/>).</summary>
    public int Generation { get; init; }

    public Guid ReferralId { get; init; }

    public required string TenantId { get; init; }

    public required string CaseKey { get; init; }

    /// <summary>The chain step (<see cref="Figure.Step"/>) the referral serves; null outside a service chain.</summary>
    public string? Step { get; init; }

    public DateTime IssuedAt { get; init; }

    /// <summary>When the referral is past its target: target days are whole days, so the moment <c>TargetDays + 1</c> days after issue.</summary>
    public DateTime DueAt { get; init; }

    public OpenReferral In(int generation) =>
        new() { Generation = generation, ReferralId = ReferralId, TenantId = TenantId, CaseKey = CaseKey, Step = Step, IssuedAt = IssuedAt, DueAt = DueAt };
}

/// <summary>Referrals waiting for an answer, issued at the same moment for the same chain step ("" outside a chain).</summary>
public sealed record WaitingReferrals(string Step, DateTime IssuedAt, DateTime DueAt, int Count);

/// <summary>What one case or event adds to the read model: counters and the open referrals.</summary>
public sealed class Contributions
{
    public Dictionary<CounterKey, long> Counters { get; } = [];

    public List<OpenReferral> OpenReferrals { get; } = [];

    /// <summary>The referrals waiting for an answer as the store grouped them; null: those of <see cref="OpenReferrals"/>.</summary>
    private IReadOnlyList<WaitingReferrals>? waitingLoaded;

    private ILookup<string, KeyValuePair<CounterKey, long>>? byReport;
    private ILookup<(string, string), KeyValuePair<CounterKey, long>>? byDimension;

    /// <summary>The counters of one report (indexed once after the last change: a report reads many).</summary>
    private IEnumerable<KeyValuePair<CounterKey, long>> Of(string report) => (byReport ??= Counters.ToLookup(c => c.Key.Report))[report];

    private IEnumerable<KeyValuePair<CounterKey, long>> Of(string report, string dimension) =>
        (byDimension ??= Counters.ToLookup(c => (c.Key.Report, c.Key.Dimension)))[(report, dimension)];

    public void Add(CounterKey key, long count = 1)
    {
        if (count == 0)
        {
            return;
        }

        (byReport, byDimension) = (null, null);
        var sum = Counters.GetValueOrDefault(key) + count;
        if (sum == 0)
        {
            Counters.Remove(key);
        }
        else
        {
            Counters[key] = sum;
        }
    }

    public void Add(Contributions other, int sign = 1)
    {
        foreach (var (key, count) in other.Counters)
        {
            Add(key, sign * count);
        }

        if (sign > 0)
        {
            OpenReferrals.AddRange(other.OpenReferrals);
        }
    }

    /// <summary>Takes the referrals waiting for an answer as the store grouped them, instead of holding each one.</summary>
    public void UseWaiting(IReadOnlyList<WaitingReferrals> waiting) => waitingLoaded = waiting;

    /// <summary>The referrals waiting for an answer, grouped by chain step and moment of issue.</summary>
    public IReadOnlyList<WaitingReferrals> Waiting() => waitingLoaded ??
        [.. OpenReferrals.GroupBy(r => (Step: r.Step ?? "", r.IssuedAt, r.DueAt)).Select(g => new WaitingReferrals(g.Key.Step, g.Key.IssuedAt, g.Key.DueAt, g.Count()))];

    /// <summary>Referrals waiting for an answer past their target at <paramref name="nowUtc"/>, per chain step ("" outside a service chain).</summary>
    public IReadOnlyDictionary<string, int> OverdueByStep(DateTime nowUtc) =>
        Waiting().Where(w => nowUtc >= w.DueAt).GroupBy(w => w.Step).ToDictionary(g => g.Key, g => g.Sum(w => w.Count));

    /// <summary>The sum of one counter over all dimensions, months and buckets.</summary>
    public long Total(string report, string? dimension = null) => (dimension is null ? Of(report) : Of(report, dimension)).Sum(c => c.Value);

    /// <summary>The sums of one counter per dimension, in ordinal order.</summary>
    public IReadOnlyDictionary<string, int> ByDimension(string report, string? month = null) => Sorted(
        Of(report).Where(c => month is null || c.Key.Month == month).GroupBy(c => c.Key.Dimension));

    /// <summary>The sums of one counter per month (<c>yyyy-MM</c>), in order; <paramref name="dimension"/> narrows it.</summary>
    public IReadOnlyDictionary<string, int> ByMonth(string report, string? dimension = null) => Sorted(
        (dimension is null ? Of(report) : Of(report, dimension)).GroupBy(c => c.Key.Month));

    /// <summary>The histogram of one counter's buckets (hours of a duration, target days), over all months or those of <paramref name="months"/>.</summary>
    public IReadOnlyList<(int Bucket, long Count)> Buckets(string report, string dimension, MonthRange? months = null) =>
        [.. Of(report, dimension).Where(c => months is null || months.Contains(c.Key.Month)).GroupBy(c => c.Key.Bucket)
            .Select(g => (g.Key, g.Sum(c => c.Value))).Where(b => b.Item2 > 0).OrderBy(b => b.Key)];

    /// <summary>The sum of one counter of one dimension over the months of <paramref name="months"/> (all when null).</summary>
    public long Total(string report, string dimension, MonthRange? months) =>
        months is null ? Total(report, dimension) : Of(report, dimension).Where(c => months.Contains(c.Key.Month)).Sum(c => c.Value);

    private static SortedDictionary<string, int> Sorted(IEnumerable<IGrouping<string, KeyValuePair<CounterKey, long>>> groups) =>
        new(groups.Select(g => (g.Key, Count: (int)g.Sum(c => c.Value))).Where(g => g.Count != 0).ToDictionary(g => g.Key, g => g.Count), StringComparer.Ordinal);

    /// <summary>The counters that change from <paramref name="before"/> to <paramref name="after"/>, with the change.</summary>
    public static Dictionary<CounterKey, long> Change(Contributions before, Contributions after)
    {
        var change = new Contributions();
        change.Add(after);
        change.Add(before, -1);
        return change.Counters;
    }
}
