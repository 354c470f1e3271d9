using System.Text.Json.Nodes;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;

namespace Kim.ReportingService.Submission;

public enum SubmissionStatus
{
    Draft,
    Approved,
    Submitted,
}

/// <summary>
/// The municipality's submission to the state for one period: manual answers of a coordinator, merged with what live
/// data can answer, approved by a second person, then sent. Like DHIS2's data approval, what was approved is what
/// is sent: a change of an answer after approval returns it to draft.
/// </summary>
public sealed class MunicipalSubmission
{
    public Guid Id { get; init; }

    public required string Period { get; init; }

    public SubmissionStatus Status { get; set; } = SubmissionStatus.Draft;

    /// <summary>Manual answers by dotted path, as JSON.</summary>
    public string ManualAnswers { get; set; } = "{}";

    public string? LastEditedBy { get; set; }

    public DateTime? LastEditedAt { get; set; }

    /// <summary>The document as approved (and later sent).</summary>
    public string? ApprovedDocument { get; set; }

    public string? ApprovedBy { get; set; }

    public string? ApproverName { get; set; }

    public DateTime? ApprovedAt { get; set; }

    public string? SubmittedBy { get; set; }

    public DateTime? SubmittedAt { get; set; }

    public int? StateResponseStatus { get; set; }
}

/// <summary>Section <c>Reporting:Municipality</c>: who this municipal ReportingService reports for.</summary>
public sealed class MunicipalityOptions
{
    public string Id { get; set; } = "05158";

    public string Name { get; set; } = "Kreis Mettmann";

    public string Kind { get; set; } = "District";

    /// <summary>Base address of the state's ReportingService (service discovery name by default).</summary>
    public string StateEndpoint { get; set; } = "http://statereportingservice";

    /// <summary>The provider's token endpoint for the client-credentials flow (e.g. <c>http://identity/identity/connect/token</c>).</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>This municipality's machine client at the provider; with it set, tokens come from <see cref="TokenEndpoint"/>.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>A fixed bearer token with the role <c>state-reporter</c>, for setups without a provider (tests).</summary>
    public string? StateToken { get; set; }
}

/// <summary>Builds the interchange document from live data and manual answers, marking each answer's origin.</summary>
public static class SubmissionBuilder
{
    public const string LiveData = "LiveData";
    public const string ManualAnswer = "ManualAnswer";

    /// <summary>
    /// The answers live data can give for <paramref name="period"/> (a year), by dotted path, each computed for that year
    /// only: counts (cases taken, meetings, reviews) from what happened in it; states (rules of procedure, goal system,
    /// service chains, mandated groups, forwarding) from what was adopted by its end. The cases' figures come from the
    /// read model's counters, the committees' from <paramref name="network"/>, the network's few events. Nothing is answered
    /// for a year in which the platform held no case (or no committee work) yet: the manual answer fills it.
    /// </summary>
    public static Dictionary<string, JsonNode?> LiveAnswers(Contributions figures, IReadOnlyList<IntegrationEvent> network, string period, DateTime nowUtc)
    {
        var year = int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture);
        var (start, end) = (new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var (first, last) = (CounterKey.MonthOf(start), CounterKey.MonthOf(end.AddDays(-1)));
        bool InYear(string month) => string.CompareOrdinal(month, first) >= 0 && string.CompareOrdinal(month, last) <= 0;
        int CountInYear(IReadOnlyDictionary<string, int> perMonth) => perMonth.Where(m => InYear(m.Key)).Sum(m => m.Value);
        var answers = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

        // The months of the year the platform held cases in: from the first case opened (or January) to now (or December).
        var firstCase = figures.ByMonth(Figure.Opened).Keys.FirstOrDefault();
        var from = firstCase is null ? null : string.CompareOrdinal(firstCase, first) > 0 ? firstCase : first;
        var to = string.CompareOrdinal(CounterKey.MonthOf(nowUtc), last) < 0 ? CounterKey.MonthOf(nowUtc) : last;
        if (from is not null && string.CompareOrdinal(from, to) <= 0)
        {
            var months = MonthsBetween(from, to);
            answers["caseManagement.casesTaken"] = CountInYear(figures.ByMonth(Figure.CasesTaken));
            answers["caseManagement.caseReviewFrequency"] = Frequency(CountInYear(figures.ByMonth(Figure.Reviews, CaseReviewKind.Review.ToString())), months);
            answers["caseManagement.caseReconstructionFrequency"] = Frequency(CountInYear(figures.ByMonth(Figure.Reconstructions)), months);
            answers["caseManagement.commonInstruments.serviceSteering"] = CountInYear(figures.ByMonth(Figure.ReferralsIssued)) > 0;
        }

        var inYear = network.Where(e => e.OccurredAt >= start && e.OccurredAt < end).ToList();
        var byEnd = network.Where(e => e.OccurredAt < end).ToList();
        if (byEnd.Count == 0)
        {
            return answers;
        }

        var meetings = inYear.OfType<MeetingHeld>().Select(m => m.MeetingId).Distinct().Count();
        if (meetings > 0)
        {
            answers["projectOrganisation.steeringGroup"] = "Established";
            answers["projectOrganisation.steeringGroupMeetings"] = meetings;
        }

        if (byEnd.OfType<RulesOfProcedureAdopted>().Any())
        {
            answers["projectOrganisation.rulesOfProcedure"] = "Yes";
        }

        var resolutions = inYear.OfType<ResolutionAdopted>().ToList();
        if (resolutions.Count > 0)
        {
            answers["projectOrganisation.resolutionsBinding"] = resolutions.Any(r => r.IsBinding);
        }

        answers["caseBasis.workingGroupsWithWrittenMandate"] = byEnd.OfType<WorkingGroupMandated>().Select(w => w.WorkingGroupId).Distinct().Count();
        if (byEnd.OfType<GoalSystemAdopted>().Any())
        {
            answers["systemLevel.goalSystem"] = "Yes";
        }

        if (byEnd.OfType<ServiceChainAdopted>().Any())
        {
            answers["systemLevel.serviceChains"] = "Yes";
        }

        if (byEnd.OfType<ForwardingContractSigned>().Any(f => f.PartnerKind == ForwardingPartnerKind.Carrier))
        {
            answers["caseManagement.forwardedToCarriers"] = "Yes";
        }

        return answers;
    }

    /// <summary>
    /// The document: every answer of the survey, from live data where it answers, else the manual answer, else
    /// null (no answer); <c>origins</c> says which. A manual answer never overrides live data, but fills what live data
    /// cannot answer (an empty live value, e.g. no case review in the year).
    /// </summary>
    public static JsonObject Build(MunicipalityOptions municipality, string period, IReadOnlyDictionary<string, JsonNode?> live, JsonObject manual)
    {
        var document = Template(municipality, period);
        var origins = new JsonObject();
        foreach (var path in AnswerPaths())
        {
            if (live.TryGetValue(path, out var value) && value is not null)
            {
                Set(document, path, value?.DeepClone());
                origins[path] = LiveData;
            }
            else if (manual.TryGetPropertyValue(path, out var answer))
            {
                Set(document, path, answer?.DeepClone());
                origins[path] = ManualAnswer;
            }
        }

        if (manual["staffing"] is JsonArray staffing)
        {
            document["staffing"] = staffing.DeepClone();
            origins["staffing"] = ManualAnswer;
        }

        document["origins"] = origins;
        return document;
    }

    /// <summary>Every answer path of the survey (leaves of the schema below the sections).</summary>
    public static IReadOnlyList<string> AnswerPaths()
    {
        var schema = JsonNode.Parse(SubmissionValidator.Schema)!["properties"]!.AsObject();
        var paths = new List<string>();
        void Walk(string prefix, JsonObject properties)
        {
            foreach (var (name, node) in properties)
            {
                if (node?["properties"] is JsonObject nested)
                {
                    Walk($"{prefix}{name}.", nested);
                }
                else
                {
                    paths.Add(prefix + name);
                }
            }
        }

        foreach (var section in new[] { "projectOrganisation", "network", "caseManagement", "caseBasis", "systemLevel", "reflection", "selfAssessment" })
        {
            Walk(section + ".", schema[section]!["properties"]!.AsObject());
        }

        return paths;
    }

    private static JsonObject Template(MunicipalityOptions municipality, string period)
    {
        var document = new JsonObject
        {
            ["schemaVersion"] = "1.0",
            ["period"] = period,
            ["municipality"] = new JsonObject { ["id"] = municipality.Id, ["name"] = municipality.Name, ["kind"] = municipality.Kind },
            ["staffing"] = new JsonArray(),
        };
        foreach (var path in AnswerPaths())
        {
            Set(document, path, null);
        }

        return document;
    }

    private static void Set(JsonObject document, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = document;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject next)
            {
                next = new JsonObject();
                node[part] = next;
            }

            node = next;
        }

        node[parts[^1]] = value;
    }

    /// <summary>
    /// How often, as the average per month over every month of the year the platform was in use (not only the months
    /// that had any: three reconstructions on one day are "less than monthly"); null when there were none.
    /// </summary>
    private static string? Frequency(int count, int months)
    {
        if (count == 0 || months == 0)
        {
            return null;
        }

        var average = (double)count / months;
        return average switch
        {
            >= 4 => "WeeklyOrMore",
            >= 2 => "SeveralPerMonth",
            >= 1 => "Monthly",
            _ => "LessThanMonthly",
        };
    }

    /// <summary>The number of months from <paramref name="from"/> to <paramref name="to"/> (<c>yyyy-MM</c>), both included.</summary>
    private static int MonthsBetween(string from, string to)
    {
        static int Index(string month) => (int.Parse(month[..4], System.Globalization.CultureInfo.InvariantCulture) * 12) + int.Parse(month[5..], System.Globalization.CultureInfo.InvariantCulture);
        return Index(to) - Index(from) + 1;
    }
}
