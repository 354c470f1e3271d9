using System.Text.Json.Nodes;
using Kim.ReportingService.State;

namespace Kim.DomainBench;

/// <summary>
/// Submissions of the state survey in the shape of <c>submission.schema.json</c>: every answer drawn from the schema's
/// values, about one in twenty left unanswered, seeded so every run sees the same documents. Parsed from their JSON text
/// as the state API loads them from its store.
/// </summary>
public static class SurveyAnswers
{
    /// <summary>The five survey years.</summary>
    public static readonly string[] Periods = ["2022", "2023", "2024", "2025", "2026"];

    /// <summary>
    /// Submissions of <paramref name="municipalities"/> municipalities for one period: NRW's 53 districts and cities
    /// first, then further five-digit keys, about three in four of them districts.
    /// </summary>
    public static List<Answers> For(string period, int municipalities)
    {
        var random = new Random((int.Parse(period, System.Globalization.CultureInfo.InvariantCulture) * 1_000) + municipalities);
        var nrw = Survey.Nrw.ToList();
        var answers = new List<Answers>(municipalities);
        for (var i = 0; i < municipalities; i++)
        {
            // Germany has about 294 districts and 107 independent cities.
            var (id, kind) = i < nrw.Count
                ? (nrw[i].Key, nrw[i].Value.Contains("Kreis", StringComparison.Ordinal) || nrw[i].Value.StartsWith("Städteregion", StringComparison.Ordinal) ? "District" : "IndependentCity")
                : ((10_000 + i).ToString("00000", System.Globalization.CultureInfo.InvariantCulture), random.Next(100) < 73 ? "District" : "IndependentCity");
            var document = JsonNode.Parse(Document(random, period, id, kind).ToJsonString())!;
            answers.Add(new Answers(id, kind, document));
        }

        return answers;
    }

    private static JsonObject Document(Random random, string period, string id, string kind)
    {
        JsonNode? Pick(params string[] values) => random.Next(20) == 0 ? null : JsonValue.Create(values[random.Next(values.Length)]);
        JsonNode? Flag() => random.Next(20) == 0 ? null : JsonValue.Create(random.Next(2) == 0);
        JsonNode? Number(int max) => random.Next(20) == 0 ? null : JsonValue.Create(random.Next(max + 1));
        string[] yesNoPlanned = ["Yes", "No", "Planned"];
        string[] frequency = ["WeeklyOrMore", "SeveralPerMonth", "Monthly", "LessThanMonthly", "Planned", "No"];
        var steeringGroup = Pick("Established", "Planned", "None");
        var workingGroups = random.Next(7);

        return new JsonObject
        {
            ["schemaVersion"] = "1.0",
            ["period"] = period,
            ["municipality"] = new JsonObject { ["id"] = id, ["name"] = $"Kommune {id}", ["kind"] = kind },
            ["staffing"] = new JsonArray(
                new JsonObject { ["buildingBlock"] = 1, ["role"] = "Coordinator", ["allocatedFte"] = 2.0, ["requestedFte"] = 2.0, ["filledFte"] = 1.5 },
                new JsonObject { ["buildingBlock"] = 2, ["role"] = "CaseManager", ["allocatedFte"] = 8.0, ["requestedFte"] = 7.5, ["filledFte"] = 6.0 }),
            ["projectOrganisation"] = new JsonObject
            {
                ["teamStructure"] = Pick("Developed", "WeaklyDeveloped", "NotDescribed"),
                ["coordinatingOfficeDecidesStrategically"] = Flag(),
                ["steeringGroup"] = steeringGroup,
                ["steeringGroupMeetings"] = steeringGroup?.GetValue<string>() == "Established" ? Number(12) : 0,
                ["rulesOfProcedure"] = Pick(yesNoPlanned),
                ["resolutionsBinding"] = Flag(),
                ["steeringGroupComposition"] = Pick("AdministrationDominated", "Parity", "Other"),
                ["strategicSteeringIsTask"] = Flag(),
            },
            ["network"] = new JsonObject
            {
                ["migrantOrganisationsInSteeringGroup"] = Pick("Yes", "No", "OtherForms"),
                ["networkFunction"] = Pick("Information", "Negotiation", "JointPlanning"),
                ["jointTeamSessionsWithCarriers"] = Flag(),
            },
            ["caseManagement"] = new JsonObject
            {
                ["casesTaken"] = Number(400),
                ["forwardedToCarriers"] = Pick(yesNoPlanned),
                ["forwardedToMemberTowns"] = kind == "District" ? Pick(yesNoPlanned) : "NotApplicable",
                ["superordinateCoordination"] = Flag(),
                ["cmConcept"] = Pick(yesNoPlanned),
                ["crossDomainConcept"] = Pick(yesNoPlanned),
                ["commonInstruments"] = new JsonObject
                {
                    ["assessment"] = Flag(),
                    ["goalPlanning"] = Flag(),
                    ["servicePlanning"] = Flag(),
                    ["serviceSteering"] = Flag(),
                },
                ["caseReviewFrequency"] = Pick(frequency),
                ["caseReconstructionFrequency"] = Pick(frequency),
            },
            ["caseBasis"] = new JsonObject
            {
                ["workingGroups"] = workingGroups,
                ["workingGroupsWithWrittenMandate"] = random.Next(workingGroups + 1),
                ["workingGroupsCaseBased"] = Flag(),
                ["transferCaseToSystem"] = Pick("Implemented", "Planned", "No"),
            },
            ["systemLevel"] = new JsonObject { ["goalSystem"] = Pick(yesNoPlanned), ["serviceChains"] = Pick(yesNoPlanned) },
            ["reflection"] = new JsonObject { ["systematicReflection"] = Flag(), ["publicDiscussion"] = Flag(), ["reportsToCouncil"] = Flag() },
            ["selfAssessment"] = new JsonObject { ["municipal"] = random.Next(1, 6), ["stateWide"] = random.Next(1, 6) },
        };
    }
}
