using System.Net;
using System.Text.Json;
using Kim.ServiceDefaults.Security;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// The steering group of the tests: three voting members (A and B with deputies, C without) from three organisations,
/// one member without voting right, and the first rules of procedure adopted by the constituent meeting.
/// </summary>
public sealed class SteeringGroup
{
    public const string UserA = "lg-a";
    public const string UserB = "lg-b";
    public const string UserC = "lg-c";
    public const string UserWithoutVote = "lg-n";

    private readonly NetworkServiceFixture service;

    private SteeringGroup(NetworkServiceFixture service) => this.service = service;

    public Guid[] Organisations { get; private set; } = [];

    public Guid A { get; private set; }

    public Guid B { get; private set; }

    public Guid C { get; private set; }

    public Guid WithoutVote { get; private set; }

    public JsonElement ConstituentResolution { get; private set; }

    public Guid FirstRules { get; private set; }

    /// <summary>The rules in force right after the constituent meeting.</summary>
    public JsonElement RulesAfterConstitution { get; private set; }

    public JsonElement PrematureVote { get; private set; }

    public JsonElement PrematureCircular { get; private set; }

    public bool ConstituentMeetingQuorate { get; private set; }

    public HttpClient Coordinator => service.ClientFor();

    /// <summary>A steering member's token: the member's subject, signed in at the member's tenant.</summary>
    public HttpClient Member(string user) => service.ClientFor(KimRoles.SteeringMember, user, TenantOf(user));

    /// <summary>Where the members sign in: the carrier's member at the carrier (diakonie), everyone else at the coordinating office.</summary>
    public static string TenantOf(string user) => user == UserC ? "diakonie" : NetworkServiceFixture.CoordinatingTenant;

    public static async Task<SteeringGroup> ConstituteAsync(NetworkServiceFixture service)
    {
        var group = new SteeringGroup(service);
        var client = group.Coordinator;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var jobcenter = await client.PostAsync("/api/network/organisations", new { name = "Jobcenter " + suffix, type = "Jobcenter" });
        var migrants = await client.PostAsync("/api/network/organisations", new { name = "Migrantenselbstorganisation " + suffix, type = "MigrantOrganisation" });
        var carrier = await client.PostAsync("/api/network/organisations", new { name = "Diakonie " + suffix, type = "Carrier" });
        group.Organisations = [jobcenter.Id(), migrants.Id(), carrier.Id()];

        group.A = (await client.PostAsync("/api/network/steering/members", new
        {
            organisationId = jobcenter.Id(),
            name = "Leitung Jobcenter",
            userId = UserA,
            userTenant = TenantOf(UserA),
            hasVotingRight = true,
            deputyName = "Stellvertretung Jobcenter",
            deputyUserId = UserA + "-deputy",
            deputyTenant = TenantOf(UserA),
        })).Id();
        group.B = (await client.PostAsync("/api/network/steering/members", new
        {
            organisationId = migrants.Id(),
            name = "Vorstand MSO",
            userId = UserB,
            userTenant = TenantOf(UserB),
            hasVotingRight = true,
            deputyName = "Stellvertretung MSO",
            deputyUserId = UserB + "-deputy",
            deputyTenant = TenantOf(UserB),
        })).Id();
        group.C = (await client.PostAsync("/api/network/steering/members", new
        {
            organisationId = carrier.Id(),
            name = "Geschäftsführung Diakonie",
            userId = UserC,
            userTenant = TenantOf(UserC),
            hasVotingRight = true,
        })).Id();
        group.WithoutVote = (await client.PostAsync("/api/network/steering/members", new
        {
            organisationId = carrier.Id(),
            name = "Koordination KIM",
            userId = UserWithoutVote,
            userTenant = TenantOf(UserWithoutVote),
            hasVotingRight = false,
        })).Id();

        var rules = await client.PostAsync("/api/network/steering/rules", new
        {
            quorumPercent = 50,
            majority = "Simple",
            circularAllowed = true,
            circularDeadlineDays = 7,
            circularParticipationPercent = 50,
        });
        group.FirstRules = rules.Id();
        var motion = await client.PostAsync("/api/network/steering/motions", new
        {
            title = "Geschäftsordnung der Lenkungsgruppe",
            kind = "AdoptRules",
            subjectId = rules.Id(),
            isBinding = true,
        });
        // Before any rules are in force, nothing but the first rules can be decided, and never by circular ballot.
        var premature = await group.TableAsync("Vorzeitiger Antrag");
        group.PrematureCircular = await client.PostAsync($"/api/network/steering/motions/{motion.Id()}/circular", new { }, HttpStatusCode.Conflict);
        var constituent = await group.PlanAsync([premature, motion.Id()]);
        await client.PutAsync($"/api/network/steering/meetings/{constituent}/attendance", new
        {
            attendance = new[] { new { memberId = group.A, presence = "Present" }, new { memberId = group.B, presence = "Present" }, new { memberId = group.C, presence = "Absent" } },
        });
        var held = await client.PostAsync($"/api/network/steering/meetings/{constituent}/hold", new { minutes = "Konstituierende Sitzung" }, HttpStatusCode.OK);
        group.ConstituentMeetingQuorate = held.GetProperty("quorate").GetBoolean();
        group.PrematureVote = await client.PostAsync($"/api/network/steering/motions/{premature}/votes", new
        {
            meetingId = constituent,
            votes = new[] { new { memberId = group.A, choice = "Yes" }, new { memberId = group.B, choice = "Yes" } },
        }, HttpStatusCode.Conflict);
        var decided = new[]
        {
            await client.PostAsync($"/api/network/steering/motions/{motion.Id()}/votes", new
            {
                meetingId = constituent, votes = new[] { new { memberId = group.A, choice = "Yes" }, new { memberId = group.B, choice = "Abstain" } },
            }, HttpStatusCode.OK),
        };
        group.ConstituentResolution = decided[0];
        group.RulesAfterConstitution = await client.GetJsonAsync("/api/network/steering/rules/current");
        return group;
    }

    /// <summary>Plans a meeting with the motions, records all voting members present, holds it and records the votes of A, B and C.</summary>
    public async Task<JsonElement[]> DecideInMeetingAsync(IReadOnlyList<(Guid Motion, string A, string B, string C)> ballots)
    {
        var client = Coordinator;
        var meeting = await PlanAsync(ballots.Select(b => b.Motion).ToArray());
        await client.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new[] { new { memberId = A, presence = "Present" }, new { memberId = B, presence = "Present" }, new { memberId = C, presence = "Present" } },
        });
        await client.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { minutes = "Protokoll" }, HttpStatusCode.OK);
        var results = new List<JsonElement>();
        foreach (var ballot in ballots)
        {
            results.Add(await client.PostAsync($"/api/network/steering/motions/{ballot.Motion}/votes", new
            {
                meetingId = meeting,
                votes = new[] { new { memberId = A, choice = ballot.A }, new { memberId = B, choice = ballot.B }, new { memberId = C, choice = ballot.C } },
            }, HttpStatusCode.OK));
        }

        return [.. results];
    }

    public async Task<Guid> PlanAsync(Guid[] motions, TimeSpan? inFuture = null)
    {
        var meeting = await Coordinator.PostAsync("/api/network/steering/meetings", new
        {
            title = "Sitzung der Lenkungsgruppe",
            scheduledFor = service.Clock.GetUtcNow().UtcDateTime + (inFuture ?? TimeSpan.Zero),
            agenda = motions.Select(m => new { kind = "Motion", title = "Antrag", referenceId = m }).ToArray(),
        });
        return meeting.Id();
    }

    public async Task<Guid> TableAsync(string title, string kind = "General", Guid? subjectId = null, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["title"] = title, ["kind"] = kind, ["subjectId"] = subjectId, ["isBinding"] = true };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        return (await Coordinator.PostAsync("/api/network/steering/motions", body)).Id();
    }
}
