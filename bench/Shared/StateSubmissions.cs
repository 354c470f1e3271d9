using System.Globalization;
using System.Text.Json.Nodes;

namespace Kim.Bench;

/// <summary>A district or independent city of the generated state; <see cref="Maturity"/> (0 to 1) steers its answers.</summary>
public sealed record Municipality(string Id, string Name, string Kind, double Maturity);

/// <summary>
/// State survey submissions in the interchange format (<c>submission.schema.json</c>) for the benchmarks of the state
/// view, seeded so every run sees the same documents. Linked into each benchmark project that needs them.
/// </summary>
public static class StateSubmissions
{
    private const double NoAnswer = 0.04;

    /// <summary>About 400 Kreise and kreisfreie Städte (roughly a quarter of them cities) with AGS-shaped keys.</summary>
    public static List<Municipality> Municipalities(int count)
    {
        var random = new Random(400);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{1 + (i % 16):00}{100 + (i / 16):000}");
            var city = random.NextDouble() < 0.27;
            return new Municipality(id, city ? $"Stadt {id}" : $"Kreis {id}", city ? "IndependentCity" : "District", 0.1 + (random.NextDouble() * 0.6));
        })];
    }

    /// <summary>
    /// One submission: the further a municipality's implementation (its maturity, growing from period to period), the
    /// likelier the developed answers; about one answer in 25 left open.
    /// </summary>
    public static JsonObject Submission(Municipality municipality, string period, int step, Random random)
    {
        var maturity = Math.Clamp(municipality.Maturity + (0.07 * step) + ((random.NextDouble() - 0.5) * 0.2), 0, 1);
        bool Open() => random.NextDouble() < NoAnswer;
        JsonNode? Scale(params string[] leastToMost) => Open()
            ? null
            : JsonValue.Create(leastToMost[Math.Clamp((int)Math.Floor((maturity + ((random.NextDouble() - 0.5) * 0.6)) * leastToMost.Length), 0, leastToMost.Length - 1)]);
        JsonNode? Flag() => Open() ? null : JsonValue.Create(random.NextDouble() < maturity);
        var city = municipality.Kind == "IndependentCity";

        var steeringGroup = Scale("None", "Planned", "Established");
        var meetings = Open() ? null : steeringGroup?.GetValue<string>() == "Established" ? JsonValue.Create(random.Next(1, 13)) : JsonValue.Create(0);
        var groups = Open() ? (int?)null : random.Next(0, 9);
        var mandated = Open() || groups is null ? (int?)null : random.Next(0, groups.Value + 1);
        var cases = Open() ? (int?)null : random.NextDouble() < 0.1 ? 0 : (int)(maturity * random.NextDouble() * (city ? 500 : 300));
        var staffing = new JsonArray();
        foreach (var (block, role) in new[] { (1, "Coordinator"), (2, "CaseManager"), (3, "ImmigrationAuthority") })
        {
            var allocated = Math.Round(1 + (random.NextDouble() * (block == 2 ? 14 : 4)), 1);
            var requested = Math.Round(allocated * (0.7 + (random.NextDouble() * 0.3)), 1);
            var filled = Math.Round(requested * (0.6 + (random.NextDouble() * 0.4)), 1);
            staffing.Add(new JsonObject { ["buildingBlock"] = block, ["role"] = role, ["allocatedFte"] = allocated, ["requestedFte"] = requested, ["filledFte"] = filled });
        }

        return new JsonObject
        {
            ["schemaVersion"] = "1.0",
            ["period"] = period,
            ["municipality"] = new JsonObject { ["id"] = municipality.Id, ["name"] = municipality.Name, ["kind"] = municipality.Kind },
            ["staffing"] = staffing,
            ["projectOrganisation"] = new JsonObject
            {
                ["teamStructure"] = Scale("NotDescribed", "WeaklyDeveloped", "Developed"),
                ["coordinatingOfficeDecidesStrategically"] = Flag(),
                ["steeringGroup"] = steeringGroup,
                ["steeringGroupMeetings"] = meetings,
                ["rulesOfProcedure"] = Scale("No", "Planned", "Yes"),
                ["resolutionsBinding"] = Flag(),
                ["steeringGroupComposition"] = Scale("AdministrationDominated", "Other", "Parity"),
                ["strategicSteeringIsTask"] = Flag(),
            },
            ["network"] = new JsonObject
            {
                ["migrantOrganisationsInSteeringGroup"] = Scale("No", "OtherForms", "Yes"),
                ["networkFunction"] = Scale("Information", "Negotiation", "JointPlanning"),
                ["jointTeamSessionsWithCarriers"] = Flag(),
            },
            ["caseManagement"] = new JsonObject
            {
                ["casesTaken"] = cases,
                ["forwardedToCarriers"] = Scale("No", "Planned", "Yes"),
                ["forwardedToMemberTowns"] = city ? (Open() ? null : JsonValue.Create("NotApplicable")) : Scale("No", "Planned", "Yes"),
                ["superordinateCoordination"] = Flag(),
                ["cmConcept"] = Scale("No", "Planned", "Yes"),
                ["crossDomainConcept"] = Scale("No", "Planned", "Yes"),
                ["commonInstruments"] = new JsonObject { ["assessment"] = Flag(), ["goalPlanning"] = Flag(), ["servicePlanning"] = Flag(), ["serviceSteering"] = Flag() },
                ["caseReviewFrequency"] = Scale("No", "Planned", "LessThanMonthly", "Monthly", "SeveralPerMonth", "WeeklyOrMore"),
                ["caseReconstructionFrequency"] = Scale("No", "Planned", "LessThanMonthly", "Monthly", "SeveralPerMonth", "WeeklyOrMore"),
            },
            ["caseBasis"] = new JsonObject
            {
                ["workingGroups"] = groups,
                ["workingGroupsWithWrittenMandate"] = mandated,
                ["workingGroupsCaseBased"] = Flag(),
                ["transferCaseToSystem"] = Scale("No", "Planned", "Implemented"),
            },
            ["systemLevel"] = new JsonObject { ["goalSystem"] = Scale("No", "Planned", "Yes"), ["serviceChains"] = Scale("No", "Planned", "Yes") },
            ["reflection"] = new JsonObject { ["systematicReflection"] = Flag(), ["publicDiscussion"] = Flag(), ["reportsToCouncil"] = Flag() },
            ["selfAssessment"] = new JsonObject
            {
                ["municipal"] = Open() ? null : Math.Clamp(5 - (int)Math.Floor((maturity + ((random.NextDouble() - 0.5) * 0.5)) * 5), 1, 5),
                ["stateWide"] = Open() ? null : random.Next(1, 6),
            },
            ["origins"] = new JsonObject { ["caseManagement.casesTaken"] = "LiveData", ["caseManagement.caseReviewFrequency"] = "ManualAnswer" },
            ["approval"] = new JsonObject { ["approvedBy"] = $"Koordinierungsstelle {municipality.Name}", ["approvedAt"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
        };
    }
}
