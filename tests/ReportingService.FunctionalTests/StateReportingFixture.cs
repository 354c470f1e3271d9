using System.Text.Json.Nodes;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>A ReportingService in state mode (the ministry's instance) on its own SQLite file; it needs no broker.</summary>
public sealed class StateReportingFixture : WebApplicationFactory<Program>
{
    private readonly TestDirectories directories = new("statereporting");

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string DatabasePath => Path.Combine(directories.Path, "statereporting.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Reporting:Mode", "State");
        // The evaluation's tables count municipalities and were published in full; suppression is tested on its own.
        builder.UseSetting("Reporting:SmallCellThreshold", "0");
        builder.UseSetting("ConnectionStrings:reportingdb", $"Data Source={DatabasePath}");
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
    }

    public HttpClient StateReporter() => CreateClient().WithToken(SigningKey, "land", KimRoles.StateReporter, "mkjfgfi");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        directories.Dispose();
    }
}

/// <summary>Builds submissions in the interchange format of STATE_SUBMISSION.md.</summary>
public static class Submissions
{
    /// <summary>NRW's 31 Kreise by AGS key, the municipalities the state API accepts by default.</summary>
    public static readonly string[] Districts =
    [
        "05154", "05158", "05162", "05166", "05170", "05334", "05358", "05362", "05366", "05370", "05374", "05378", "05382", "05554", "05558", "05562",
        "05566", "05570", "05754", "05758", "05762", "05766", "05770", "05774", "05954", "05958", "05962", "05966", "05970", "05974", "05978",
    ];

    /// <summary>NRW's 22 kreisfreie Städte by AGS key.</summary>
    public static readonly string[] Cities =
    [
        "05111", "05112", "05113", "05114", "05116", "05117", "05119", "05120", "05122", "05124", "05314", "05315", "05316", "05512", "05513", "05515",
        "05711", "05911", "05913", "05914", "05915", "05916",
    ];

    public static JsonObject Valid(string id, string kind, string period = "2022") => new()
    {
        ["schemaVersion"] = "1.0",
        ["period"] = period,
        ["municipality"] = new JsonObject { ["id"] = id, ["name"] = $"Kommune {id}", ["kind"] = kind },
        ["staffing"] = new JsonArray(
            new JsonObject { ["buildingBlock"] = 1, ["role"] = "Coordinator", ["allocatedFte"] = 4.0, ["requestedFte"] = 4.0, ["filledFte"] = 3.0 },
            new JsonObject { ["buildingBlock"] = 2, ["role"] = "CaseManager", ["allocatedFte"] = 10.0, ["requestedFte"] = 9.0, ["filledFte"] = 8.5 }),
        ["projectOrganisation"] = new JsonObject
        {
            ["teamStructure"] = "WeaklyDeveloped",
            ["coordinatingOfficeDecidesStrategically"] = false,
            ["steeringGroup"] = "Established",
            ["steeringGroupMeetings"] = 2,
            ["rulesOfProcedure"] = "Planned",
            ["resolutionsBinding"] = false,
            ["steeringGroupComposition"] = "AdministrationDominated",
            ["strategicSteeringIsTask"] = false,
        },
        ["network"] = new JsonObject { ["migrantOrganisationsInSteeringGroup"] = "No", ["networkFunction"] = "Information", ["jointTeamSessionsWithCarriers"] = false },
        ["caseManagement"] = new JsonObject
        {
            ["casesTaken"] = 30,
            ["forwardedToCarriers"] = "No",
            ["forwardedToMemberTowns"] = kind == "District" ? "No" : "NotApplicable",
            ["superordinateCoordination"] = true,
            ["cmConcept"] = "Planned",
            ["crossDomainConcept"] = "No",
            ["commonInstruments"] = new JsonObject { ["assessment"] = true, ["goalPlanning"] = true, ["servicePlanning"] = false, ["serviceSteering"] = false },
            ["caseReviewFrequency"] = "Monthly",
            ["caseReconstructionFrequency"] = "Planned",
        },
        ["caseBasis"] = new JsonObject { ["workingGroups"] = 1, ["workingGroupsWithWrittenMandate"] = 0, ["workingGroupsCaseBased"] = false, ["transferCaseToSystem"] = "Planned" },
        ["systemLevel"] = new JsonObject { ["goalSystem"] = "Planned", ["serviceChains"] = "No" },
        ["reflection"] = new JsonObject { ["systematicReflection"] = false, ["publicDiscussion"] = false, ["reportsToCouncil"] = true },
        ["selfAssessment"] = new JsonObject { ["municipal"] = 3, ["stateWide"] = 3 },
    };

    /// <summary>
    /// 52 submissions whose answers match the 2022 evaluation report: 30 districts and 22 independent cities, with
    /// the counts behind Tab. 3 (CM cases), Tab. 4 (forwarding by kind) and Tab. 11 (case review frequency).
    /// </summary>
    public static List<JsonObject> Evaluation2022()
    {
        var kinds = Enumerable.Repeat("District", 30).Concat(Enumerable.Repeat("IndependentCity", 22)).ToList();
        var forwarding = Enumerable.Repeat("Yes", 16).Concat(Enumerable.Repeat("No", 13)).Concat(["Planned"])
            .Concat(Enumerable.Repeat("Yes", 15)).Concat(Enumerable.Repeat("No", 2)).Concat(Enumerable.Repeat("Planned", 5)).ToList();
        int?[] cases = [.. Enumerable.Repeat<int?>(0, 6), .. Enumerable.Repeat<int?>(12, 4), .. Enumerable.Repeat<int?>(35, 7), .. Enumerable.Repeat<int?>(70, 8),
            .. Enumerable.Repeat<int?>(180, 10), .. Enumerable.Repeat<int?>(400, 8), .. Enumerable.Repeat<int?>(null, 9)];
        string[] reviews = [.. Enumerable.Repeat("WeeklyOrMore", 11), .. Enumerable.Repeat("SeveralPerMonth", 15), .. Enumerable.Repeat("Monthly", 12),
            "LessThanMonthly", .. Enumerable.Repeat("Planned", 12), "No"];

        // Spread the answers over both kinds so no table lines up with another by accident.
        var submissions = new List<JsonObject>();
        for (var i = 0; i < 52; i++)
        {
            var submission = Valid(i < 30 ? Districts[i] : Cities[i - 30], kinds[i]);
            submission["caseManagement"]!["forwardedToCarriers"] = forwarding[i];
            submission["caseManagement"]!["casesTaken"] = cases[(i * 7) % 52];
            submission["caseManagement"]!["caseReviewFrequency"] = reviews[(i * 11) % 52];
            submissions.Add(submission);
        }

        return submissions;
    }
}
