using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults.Security;
using Kim.Testing;

using static Kim.Testing.ApiSetup;

namespace Kim.WebApp.Tests;

/// <summary>
/// The steering group every test of the run works with, set up once through the APIs (<see cref="WebFixture.SteeringGroupAsync"/>),
/// whichever test class comes first: the seeded people with the steering-group role as members (chosen by their user ids
/// from the identity provider), the chair of the jobcenter with a deputy, the caritas member without one, and the first
/// rules of procedure adopted unanimously in the constituent meeting. Tests add to it (a further member, motions, meetings)
/// and read their expected numbers from it, never from a fresh state.
/// </summary>
public sealed class SteeringGroup : IDisposable
{
    public const string Chair = "Dr. Petra Lange";
    public const string Deputy = "Jonas Weber";
    public const string CaritasMember = "Maria Schulz";
    public const string RulesMotion = "Geschäftsordnung der Lenkungsgruppe";

    private SteeringGroup(HttpClient coordinator) => Coordinator = coordinator;

    /// <summary>A coordinator of the coordinating office (dev token), who keeps the steering group.</summary>
    public HttpClient Coordinator { get; }

    /// <summary>The user ids of the seeded people, as the identity provider lists them.</summary>
    public string ChairUserId { get; private set; } = "";

    public string DeputyUserId { get; private set; } = "";

    public string CaritasUserId { get; private set; } = "";

    /// <summary>The voting members set up here (the chair and the caritas member).</summary>
    public int VotingMembers { get; private set; }

    /// <summary>The resolution adopting the first rules of procedure: register number and its votes.</summary>
    public string RulesResolution { get; private set; } = "";

    public int RulesYes { get; private set; }

    public static async Task<SteeringGroup> ConstituteAsync(WebFixture web)
    {
        var coordinator = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.Coordinator, "steering-setup");
        var group = new SteeringGroup(coordinator);

        // Members and deputies are chosen by their sign-in from the people with the steering-group role.
        var people = (await coordinator.GetFromJsonAsync<JsonElement>("/identity/api/identity/steering-members")).EnumerateArray()
            .ToDictionary(p => p.GetProperty("displayName").GetString()!, p => p.GetProperty("id").GetString()!);
        group.ChairUserId = people["Lenkungsgruppe (kommune)"];
        group.DeputyUserId = people["Lenkungsgruppe 2 (kommune)"];
        group.CaritasUserId = people["Lenkungsgruppe (caritas)"];

        await PostAsync(coordinator, "/api/network/steering/members", new
        {
            organisationId = web.Jobcenter,
            name = Chair,
            userId = group.ChairUserId,
            userTenant = "kommune",
            hasVotingRight = true,
            deputyName = Deputy,
            deputyUserId = group.DeputyUserId,
            deputyTenant = "kommune",
        });
        await PostAsync(coordinator, "/api/network/steering/members", new
        {
            organisationId = web.Carrier,
            name = CaritasMember,
            userId = group.CaritasUserId,
            userTenant = "caritas",
            hasVotingRight = true,
        });
        group.VotingMembers = 2;

        // The constituent meeting adopts the first rules of procedure (circular resolutions allowed).
        var rules = await PostAsync(coordinator, "/api/network/steering/rules", new
        {
            quorumPercent = 50,
            majority = "Simple",
            circularAllowed = true,
            circularDeadlineDays = 7,
            circularParticipationPercent = 50,
        });
        var motion = await PostAsync(coordinator, "/api/network/steering/motions", new { title = RulesMotion, kind = "AdoptRules", subjectId = rules.GetProperty("id").GetGuid(), isBinding = true });
        var adopted = await group.DecideAsync(motion.GetProperty("id").GetGuid(), "Konstituierende Sitzung");
        group.RulesResolution = adopted.GetProperty("registerNumber").GetString()!;
        group.RulesYes = adopted.GetProperty("yes").GetInt32();
        return group;
    }

    /// <summary>
    /// A meeting about the open motion held now with every voting member present, and the motion adopted unanimously;
    /// returns the decided motion (with its register number).
    /// </summary>
    public async Task<JsonElement> DecideAsync(Guid motion, string title = "Sitzung der Lenkungsgruppe")
    {
        var voting = (await Coordinator.GetFromJsonAsync<JsonElement>("/api/network/steering/members")).EnumerateArray()
            .Where(m => m.GetProperty("hasVotingRight").GetBoolean()).Select(m => m.GetProperty("id").GetGuid()).ToList();
        var meeting = (await PostAsync(Coordinator, "/api/network/steering/meetings", new
        {
            title,
            scheduledFor = DateTime.UtcNow,
            agenda = new[] { new { kind = "Motion", title = "Antrag", referenceId = motion } },
        })).GetProperty("id").GetGuid();
        await SendAsync(Coordinator, HttpMethod.Put, $"/api/network/steering/meetings/{meeting}/attendance", new { attendance = voting.Select(m => new { memberId = m, presence = "Present" }) });
        await PostAsync(Coordinator, $"/api/network/steering/meetings/{meeting}/hold", new { minutes = "Protokoll" });
        var decided = await PostAsync(Coordinator, $"/api/network/steering/motions/{motion}/votes", new
        {
            meetingId = meeting,
            votes = voting.Select(m => new { memberId = m, choice = "Yes" }),
        });
        Assert.Equal("Adopted", decided.GetProperty("status").GetString());
        return decided;
    }

    /// <summary>Decides the open motion of the kind about the subject (tabled in the browser or by a test); returns its register number.</summary>
    public async Task<string> AdoptAsync(Guid subject, string kind)
    {
        var motion = (await Coordinator.GetFromJsonAsync<JsonElement>("/api/network/steering/motions")).EnumerateArray()
            .Single(m => m.GetProperty("subjectId").ValueKind == JsonValueKind.String && m.GetProperty("subjectId").GetGuid() == subject
                && m.GetProperty("kind").GetString() == kind && m.GetProperty("status").GetString() == "Tabled");
        var decided = await DecideAsync(motion.GetProperty("id").GetGuid());
        return decided.GetProperty("registerNumber").GetString()!;
    }

    /// <summary>The voting members now (a test may have added one).</summary>
    public async Task<int> VotingMembersNowAsync() =>
        (await Coordinator.GetFromJsonAsync<JsonElement>("/api/network/steering/members")).EnumerateArray().Count(m => m.GetProperty("hasVotingRight").GetBoolean());

    public void Dispose() => Coordinator.Dispose();
}
