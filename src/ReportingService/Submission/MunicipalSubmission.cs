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
    /// The answers live data can give for <paramref name="period"/> (a year), by dotted path: the cases' figures from the
    /// read model's counters, the committees' from <paramref name="network"/>, the network's few events.
    /// </summary>
    public static Dictionary<string, JsonNode?> LiveAnswers(Contributions figures, IReadOnlyList<IntegrationEvent> network, string period)
    {
        bool InPeriod(IntegrationEvent e) => e.OccurredAt.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) == period[..4];
        IEnumerable<int> PerMonthInPeriod(IReadOnlyDictionary<string, int> perMonth) => perMonth.Where(m => m.Key.StartsWith(period[..4], StringComparison.Ordinal)).Select(m => m.Value);
        var answers = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (figures.Total(Figure.CasesOpened) == 0)
        {
            return answers;
        }

        answers["caseManagement.casesTaken"] = (int)figures.Total(Figure.CasesTaken);
        answers["caseManagement.caseReviewFrequency"] = Frequency(PerMonthInPeriod(figures.ByMonth(Figure.Reviews, CaseReviewKind.Review.ToString())));
        answers["caseManagement.caseReconstructionFrequency"] = Frequency(PerMonthInPeriod(figures.ByMonth(Figure.Reconstructions)));
        answers["caseManagement.commonInstruments.serviceSteering"] = figures.Total(Figure.ReferralStatus) > 0;
        var meetings = network.Where(InPeriod).OfType<MeetingHeld>().Select(m => m.MeetingId).Distinct().Count();
        if (meetings > 0)
        {
            answers["projectOrganisation.steeringGroup"] = "Established";
            answers["projectOrganisation.steeringGroupMeetings"] = meetings;
        }

        if (network.OfType<RulesOfProcedureAdopted>().Any())
        {
            answers["projectOrganisation.rulesOfProcedure"] = "Yes";
        }

        var resolutions = network.OfType<ResolutionAdopted>().ToList();
        if (resolutions.Count > 0)
        {
            answers["projectOrganisation.resolutionsBinding"] = resolutions.Any(r => r.IsBinding);
        }

        answers["caseBasis.workingGroupsWithWrittenMandate"] = network.OfType<WorkingGroupMandated>().Select(w => w.WorkingGroupId).Distinct().Count();
        if (network.OfType<GoalSystemAdopted>().Any())
        {
            answers["systemLevel.goalSystem"] = "Yes";
        }

        if (network.OfType<ServiceChainAdopted>().Any())
        {
            answers["systemLevel.serviceChains"] = "Yes";
        }

        if (network.OfType<ForwardingContractSigned>().Any(f => f.PartnerKind == ForwardingPartnerKind.Carrier))
        {
            answers["caseManagement.forwardedToCarriers"] = "Yes";
        }

        return answers;
    }

    /// <summary>
    /// The document: every answer of the survey, from live data where it answers, else the manual answer, else
    /// null (no answer); <c>origins</c> says which. A manual answer never overrides live data.
    /// </summary>
    public static JsonObject Build(MunicipalityOptions municipality, string period, IReadOnlyDictionary<string, JsonNode?> live, JsonObject manual)
    {
        var document = Template(municipality, period);
        var origins = new JsonObject();
        foreach (var path in AnswerPaths())
        {
            if (live.TryGetValue(path, out var value))
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

    /// <summary>How often, from the counts of the months that had any.</summary>
    private static string? Frequency(IEnumerable<int> monthsWithAny)
    {
        var perMonth = monthsWithAny.Where(count => count > 0).ToList();
        if (perMonth.Count == 0)
        {
            return null;
        }

        var average = perMonth.Average();
        return average switch
        {
            >= 4 => "WeeklyOrMore",
            >= 2 => "SeveralPerMonth",
            >= 1 when perMonth.Count >= 2 => "Monthly",
            _ => "LessThanMonthly",
        };
    }
}
