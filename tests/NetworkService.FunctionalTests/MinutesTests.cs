using System.Net;
using System.Text.Json;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>Minutes are a draft, every edit kept as a version, until a later held meeting approves them; then they are immutable.</summary>
[Collection(NetworkCollection.Name)]
public sealed class MinutesTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Minutes_are_versioned_drafts_until_a_later_quorate_meeting_approves_them_and_then_immutable()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var meetings = "/api/network/steering/meetings";
        var first = await HoldAsync(group, "Entwurf: TOP 1 Bericht", quorate: true);
        var held = await client.GetJsonAsync($"{meetings}/{first}");
        Assert.Equal("Draft", held.Str("minutesStatus"));
        Assert.Equal(1, held.GetProperty("minutesVersion").GetInt32());

        // Each edit of the draft is a new version; the same text again is none.
        await client.PutAsync($"{meetings}/{first}/minutes", new { minutes = "Entwurf: TOP 1 Bericht, TOP 2 Termine" });
        var edited = await client.PutAsync($"{meetings}/{first}/minutes", new { minutes = "TOP 1 Bericht, TOP 2 Termine" });
        var again = await client.PutAsync($"{meetings}/{first}/minutes", new { minutes = "TOP 1 Bericht, TOP 2 Termine" });
        Assert.Equal(3, edited.GetProperty("minutesVersion").GetInt32());
        Assert.Equal(3, again.GetProperty("minutesVersion").GetInt32());
        Assert.Equal("Draft", edited.Str("minutesStatus"));

        // Approval needs a held, quorate meeting held after this one.
        var approve = $"{meetings}/{first}/minutes/approve";
        var missing = await client.PostAsync(approve, new { }, HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("approvingMeetingId", out _));
        var unknown = await client.PostAsync(approve, new { approvingMeetingId = Guid.NewGuid() }, HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("approvingMeetingId", out _));
        Assert.Equal("Keine spätere Sitzung", (await client.PostAsync(approve, new { approvingMeetingId = first }, HttpStatusCode.Conflict)).Str("title"));
        var planned = await group.PlanAsync([]);
        Assert.Equal("Keine spätere Sitzung", (await client.PostAsync(approve, new { approvingMeetingId = planned }, HttpStatusCode.Conflict)).Str("title"));
        var notQuorate = await HoldAsync(group, null, quorate: false);
        Assert.Equal("Lenkungsgruppe nicht beschlussfähig", (await client.PostAsync(approve, new { approvingMeetingId = notQuorate }, HttpStatusCode.Conflict)).Str("title"));
        Assert.Equal("Draft", (await client.GetJsonAsync($"{meetings}/{first}")).Str("minutesStatus"));

        // A meeting without minutes has nothing to approve; an earlier meeting approves nothing of a later one.
        var next = await HoldAsync(group, null, quorate: true);
        Assert.Equal("Kein Protokoll", (await client.PostAsync($"{meetings}/{next}/minutes/approve", new { approvingMeetingId = next }, HttpStatusCode.Conflict)).Str("title"));
        await client.PutAsync($"{meetings}/{next}/minutes", new { minutes = "Folgesitzung" });
        Assert.Equal("Keine spätere Sitzung",
            (await client.PostAsync($"{meetings}/{next}/minutes/approve", new { approvingMeetingId = first }, HttpStatusCode.Conflict)).Str("title"));

        var approved = await client.PostAsync(approve, new { approvingMeetingId = next }, HttpStatusCode.OK);
        Assert.Equal("Approved", approved.Str("minutesStatus"));
        Assert.Equal(next, approved.GetProperty("minutesApprovedInMeetingId").GetGuid());
        Assert.NotEqual(JsonValueKind.Null, approved.GetProperty("minutesApprovedAt").ValueKind);
        Assert.Equal("TOP 1 Bericht, TOP 2 Termine", approved.Str("minutes"));

        // Approved minutes are immutable.
        var refused = await client.PutAsync($"{meetings}/{first}/minutes", new { minutes = "Nachträglich geändert" }, HttpStatusCode.Conflict);
        Assert.Equal("Protokoll genehmigt", refused.Str("title"));
        Assert.Equal("Protokoll genehmigt", (await client.PostAsync(approve, new { approvingMeetingId = next }, HttpStatusCode.Conflict)).Str("title"));
        var after = await client.GetJsonAsync($"{meetings}/{first}");
        Assert.Equal("TOP 1 Bericht, TOP 2 Termine", after.Str("minutes"));
        Assert.Equal(3, after.GetProperty("minutesVersion").GetInt32());

        // Every version is kept and listed; the last is the approved one.
        var versions = (await group.Member(SteeringGroup.UserA).GetJsonAsync($"{meetings}/{first}/minutes/versions")).EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["Entwurf: TOP 1 Bericht", "Entwurf: TOP 1 Bericht, TOP 2 Termine", "TOP 1 Bericht, TOP 2 Termine"], versions.Select(v => v.Str("text")));
        Assert.Equal([false, false, true], versions.Select(v => v.GetProperty("approved").GetBoolean()));
        Assert.All(versions, v => Assert.Equal("test-user", v.Str("recordedBy")));
        await client.GetJsonAsync($"{meetings}/{Guid.NewGuid()}/minutes/versions", HttpStatusCode.NotFound);

        var audit = await client.GetJsonAsync($"/api/network/steering/audit?subjectId={first}");
        Assert.Contains("meeting.minutes-approved", audit.EnumerateArray().Select(a => a.Str("action")));
    }

    [Fact]
    public async Task Only_the_coordinating_office_approves_minutes()
    {
        var group = await service.SteeringGroupAsync();
        var first = await HoldAsync(group, "Protokoll zur Genehmigung", quorate: true);
        var next = await HoldAsync(group, null, quorate: true);

        await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/meetings/{first}/minutes/approve", new { approvingMeetingId = next }, HttpStatusCode.Forbidden);
        Assert.Equal("Draft", (await group.Coordinator.GetJsonAsync($"/api/network/steering/meetings/{first}")).Str("minutesStatus"));
    }

    /// <summary>Plans and holds a meeting, with A and B present (quorate) or only A (not), and the minutes given.</summary>
    private static async Task<Guid> HoldAsync(SteeringGroup group, string? minutes, bool quorate)
    {
        var meeting = await group.PlanAsync([]);
        var attendance = quorate
            ? new object[] { new { memberId = group.A, presence = "Present" }, new { memberId = group.B, presence = "Present" } }
            : [new { memberId = group.A, presence = "Present" }];
        await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new { attendance });
        var held = await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { minutes }, HttpStatusCode.OK);
        Assert.Equal(quorate, held.GetProperty("quorate").GetBoolean());
        return meeting;
    }
}
