using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Referrals;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A referral from tenant caritas to the organisation that is tenant kommune, over the real broker.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class CrossTenantReferralTests(CaseServiceFixture service)
{
    [Fact]
    public async Task Provider_tenant_gets_the_referral_without_identity_until_it_accepts_and_loses_it_when_the_consent_is_withdrawn()
    {
        var caritas = new CaseApiClient(service.Caritas.ClientFor("caritas"), "caritas", service.Clock);
        var kommune = new CaseApiClient(service.Kommune.ClientFor("kommune"), "kommune", service.Clock);
        var familyName = "Kovalenko" + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await caritas.CaseInAsync("ServicePlanning", "Iryna", familyName);
        var planned = await caritas.PostAsync($"/cases/{id}/plan-items", new
        {
            title = "Wohnberatung",
            lifeDomain = "Housing",
            legalDomain = "SgbXII",
            responsibleOrganisationId = CaseServiceFixture.KommuneOffice,
            targetDays = 10,
        });
        var item = planned.GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Wohnberatung").GetProperty("id").GetGuid();
        await caritas.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        var consent = await caritas.GiveConsentAsync(id, new { purpose = "DataTransferToProvider", providerOrganisationId = CaseServiceFixture.KommuneOffice, expiresOn = caritas.Today.AddYears(1) });
        var issued = await caritas.PostAsync($"/cases/{id}/referrals", new { planItemId = item, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = true });
        var referralId = issued.GetProperty("referrals").EnumerateArray().Single().GetProperty("id").GetGuid();
        Assert.Equal("kommune", issued.GetProperty("referrals")[0].GetProperty("providerTenantId").GetString());

        // The provider tenant decides; the referring tenant can only cancel.
        await caritas.RefusedAsync(HttpMethod.Post, $"/cases/{id}/referrals/{referralId}/status", new { status = "Accepted" }, "provider-tenant-decides");

        var received = await Eventually.ValueAsync(async () => await TryGetAsync(kommune, $"/incoming-referrals/{referralId}"), "kommune to receive the referral");
        Assert.Equal("Wohnberatung", received.Value.GetProperty("planItemTitle").GetString());
        Assert.Equal(JsonValueKind.Null, received.Value.GetProperty("client").ValueKind);
        Assert.DoesNotContain(familyName, received.Value.GetRawText(), StringComparison.Ordinal);

        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Accepted" });
        await Eventually.TrueAsync(async () =>
            (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals")[0].GetProperty("status").GetString() == "Accepted", "caritas to learn of the acceptance");
        var withIdentity = await Eventually.ValueAsync(async () =>
        {
            var current = await kommune.GetAsync($"/incoming-referrals/{referralId}");
            return current.GetProperty("client").ValueKind == JsonValueKind.Object ? new Box(current) : null;
        }, "the identity to reach kommune");
        Assert.Equal(familyName, withIdentity.Value.GetProperty("client").GetProperty("familyName").GetString());

        // Name, birth date and the ways to contact the client; the address stays home while phone or email is known.
        var passed = withIdentity.Value.GetProperty("client");
        Assert.Equal("1991-04-12", passed.GetProperty("birthDate").GetString());
        Assert.Equal("+49 2104 99887", passed.GetProperty("phone").GetString());
        Assert.Equal("iryna@example.org", passed.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("address").ValueKind);
        var stored = await service.Kommune.WithDbAsync(db => db.IncomingReferrals.SingleAsync(r => r.Id == referralId));
        Assert.DoesNotContain(familyName, stored.ProtectedIdentity!, StringComparison.Ordinal);

        // Withdrawal stops the transfer from then on and reaches the provider tenant.
        await caritas.PostAsync($"/cases/{id}/consents/{consent.GetProperty("id").GetGuid()}/withdraw", new { reason = "Widerruf" });
        await Eventually.TrueAsync(async () =>
            (await kommune.GetAsync($"/incoming-referrals/{referralId}")).GetProperty("consentWithdrawn").GetBoolean(), "the withdrawal to reach kommune");
        var erased = await kommune.GetAsync($"/incoming-referrals/{referralId}");
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("client").ValueKind);
        Assert.Null((await service.Kommune.WithDbAsync(db => db.IncomingReferrals.SingleAsync(r => r.Id == referralId))).ProtectedIdentity);

        // The provider goes on without identity; its status reaches the referring tenant.
        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Started" });
        await Eventually.TrueAsync(async () =>
            (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals")[0].GetProperty("status").GetString() == "Started", "caritas to learn of the start");

        // The identity message left no personal data in the referring tenant's outbox.
        var outbox = await service.Caritas.WithDbAsync(db => db.OutboxMessages.Where(m => m.MessageType.EndsWith("ReferralIdentityShared")).ToListAsync());
        Assert.NotEmpty(outbox);
        Assert.All(outbox, m => Assert.Equal("", m.Payload));
    }

    [Fact]
    public async Task A_sent_identity_leaves_no_bytes_in_the_database_files_of_either_tenant()
    {
        var caritas = new CaseApiClient(service.Caritas.ClientFor("caritas"), "caritas", service.Clock);
        var kommune = new CaseApiClient(service.Kommune.ClientFor("kommune"), "kommune", service.Clock);
        var familyName = "Szymanska" + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await caritas.CaseInAsync("ServicePlanning", "Halyna", familyName);
        var planned = await caritas.PostAsync($"/cases/{id}/plan-items", new
        {
            title = "Schuldnerberatung",
            lifeDomain = "LivelihoodSecurity",
            legalDomain = "SgbII",
            responsibleOrganisationId = CaseServiceFixture.KommuneOffice,
            targetDays = 10,
        });
        var item = planned.GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Schuldnerberatung").GetProperty("id").GetGuid();
        await caritas.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        await caritas.GiveConsentAsync(id, new { purpose = "DataTransferToProvider", providerOrganisationId = CaseServiceFixture.KommuneOffice, expiresOn = caritas.Today.AddYears(1) });
        var issued = await caritas.PostAsync($"/cases/{id}/referrals", new { planItemId = item, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = true });
        var referralId = issued.GetProperty("referrals").EnumerateArray().Single().GetProperty("id").GetGuid();
        await Eventually.ValueAsync(async () => await TryGetAsync(kommune, $"/incoming-referrals/{referralId}"), "kommune to receive the referral");
        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Accepted" });
        await Eventually.TrueAsync(async () =>
            (await kommune.GetAsync($"/incoming-referrals/{referralId}")).GetProperty("client").ValueKind == JsonValueKind.Object, "the identity to reach kommune");

        // The identity was in caritas' outbox in plain text; the row is emptied once sent. Its bytes must be gone
        // from the database file, the write-ahead log and its index, not only from the row.
        var needle = System.Text.Encoding.UTF8.GetBytes(familyName);
        foreach (var host in new[] { service.Caritas, service.Kommune })
        {
            var database = await host.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().DataSource));
            var files = new[] { database, database + "-wal", database + "-shm" };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string[] holding;
            while ((holding = files.Where(file => Contains(file, needle)).Select(Path.GetFileName).ToArray()!).Length > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            Assert.Empty(holding);
        }
    }

    private static bool Contains(string file, byte[] needle)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(needle) >= 0;
    }

    [Fact]
    public async Task Provider_status_messages_that_arrive_late_twice_or_out_of_order_end_at_the_providers_latest_status()
    {
        var caritas = new CaseApiClient(service.Caritas.ClientFor("caritas"), "caritas", service.Clock);
        var (id, _) = await caritas.CaseInAsync("ServicePlanning", "Oksana", "Sequenz" + Guid.NewGuid().ToString("N")[..6]);
        var planned = await caritas.PostAsync($"/cases/{id}/plan-items", new
        {
            title = "Schuldnerberatung",
            lifeDomain = "LivelihoodSecurity",
            legalDomain = "SgbXII",
            responsibleOrganisationId = CaseServiceFixture.KommuneOffice,
            targetDays = 20,
        });
        var item = planned.GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Schuldnerberatung").GetProperty("id").GetGuid();
        await caritas.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        var issued = await caritas.PostAsync($"/cases/{id}/referrals", new { planItemId = item, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = false });
        var referralId = issued.GetProperty("referrals").EnumerateArray().Single().GetProperty("id").GetGuid();

        var now = service.Clock.GetUtcNow().UtcDateTime;
        var acceptedAt = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc).AddHours(1);
        var startedAt = acceptedAt.AddHours(2);
        var completedAt = startedAt.AddDays(3);
        ForwardedReferralStatusChanged Status(int sequence, ReferralStatus status, DateTime at) => new()
        {
            ReferralId = referralId,
            Status = status,
            Sequence = sequence,
            AcceptedAt = acceptedAt,
            StartedAt = sequence >= 2 ? startedAt : null,
            Successful = status == ReferralStatus.Completed ? true : null,
            SourceTenantId = "kommune",
            TargetTenantId = "caritas",
            OccurredAt = at,
        };
        var accepted = Status(1, ReferralStatus.Accepted, acceptedAt);
        var started = Status(2, ReferralStatus.Started, startedAt);
        var completed = Status(3, ReferralStatus.Completed, completedAt);
        async Task<JsonElement> ReferralAsync() => (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals")[0];

        // The completion overtakes the start: it applies, with the start's time it carries.
        await service.SendTenantMessageAsync(accepted);
        await Eventually.TrueAsync(async () => (await ReferralAsync()).GetProperty("status").GetString() == "Accepted", "caritas to learn of the acceptance");
        await service.SendTenantMessageAsync(completed);
        await Eventually.TrueAsync(async () => (await ReferralAsync()).GetProperty("status").GetString() == "Completed", "caritas to learn of the completion");
        AssertTimes(await ReferralAsync());

        // The late start, the acceptance and the completion again (sent anew, and redelivered) change nothing.
        var late = new[] { started, accepted with { MessageId = Guid.NewGuid() }, completed with { MessageId = Guid.NewGuid() } };
        foreach (var message in late.Append(completed))
        {
            await service.SendTenantMessageAsync(message);
        }

        var lateIds = late.Select(m => m.MessageId).ToList();
        await Eventually.TrueAsync(() => service.Caritas.WithDbAsync(async db => await db.InboxMessages.CountAsync(m => lateIds.Contains(m.MessageId)) == lateIds.Count),
            "caritas to take the late messages");
        AssertTimes(await ReferralAsync());
        Assert.Equal(3, (await service.Caritas.WithDbAsync(db => db.Referrals.SingleAsync(r => r.Id == referralId))).StatusSequence);

        void AssertTimes(JsonElement referral)
        {
            Assert.Equal("Completed", referral.GetProperty("status").GetString());
            Assert.Equal(acceptedAt, referral.GetProperty("acceptedAt").GetDateTime().ToUniversalTime());
            Assert.Equal(startedAt, referral.GetProperty("startedAt").GetDateTime().ToUniversalTime());
            Assert.Equal(completedAt, referral.GetProperty("completedAt").GetDateTime().ToUniversalTime());
            Assert.True(referral.GetProperty("successful").GetBoolean());
        }
    }

    [Fact]
    public async Task Concurrent_identical_status_changes_of_one_referral_have_exactly_one_winner_at_both_ends()
    {
        var caritas = new CaseApiClient(service.Caritas.ClientFor("caritas"), "caritas", service.Clock);
        var kommune = new CaseApiClient(service.Kommune.ClientFor("kommune"), "kommune", service.Clock);
        var (id, _) = await caritas.CaseInAsync("ServiceSteering", "Parallel", "Vermittlung" + Guid.NewGuid().ToString("N")[..6]);
        await caritas.PostAsync($"/cases/{id}/plan-items", new
        {
            title = "Wohnberatung",
            lifeDomain = "Housing",
            legalDomain = "SgbXII",
            responsibleOrganisationId = CaseServiceFixture.KommuneOffice,
            targetDays = 10,
        });
        var planned = (await caritas.GetAsync($"/cases/{id}")).GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Wohnberatung");
        var issued = await caritas.PostAsync($"/cases/{id}/referrals", new { planItemId = planned.GetProperty("id").GetGuid(), providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = false });
        var referralId = issued.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("providerTenantId").GetString() == "kommune").GetProperty("id").GetGuid();
        await Eventually.ValueAsync(async () => await TryGetAsync(kommune, $"/incoming-referrals/{referralId}"), "kommune to receive the referral");
        using var unanswered = await kommune.Http.GetAsync($"{kommune.Base}/incoming-referrals/{referralId}");
        var etag = unanswered.Headers.ETag!.Tag;

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            const string status = "Accepted";
            using var response = await kommune.Http.PostAsJsonAsync($"{kommune.Base}/incoming-referrals/{referralId}/status", new { status, reason = "Kapazität" });
            return (Status: status, Code: response.StatusCode);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Code == HttpStatusCode.OK).Status;
        Assert.All(results.Where(r => r.Code != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.Code));
        Assert.Equal(winner, (await kommune.GetAsync($"/incoming-referrals/{referralId}")).GetProperty("status").GetString());
        var seen = await Eventually.ValueAsync(async () =>
        {
            var referral = (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == referralId);
            return referral.GetProperty("status").GetString() == winner ? new Box(referral) : null;
        }, "caritas to learn the one decision");
        Assert.NotEqual(JsonValueKind.Null, seen.Value.GetProperty("acceptedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.Value.GetProperty("rejectedAt").ValueKind);
        Assert.Equal(1, await service.Kommune.WithDbAsync(db => db.IncomingReferrals.Where(r => r.Id == referralId).Select(r => r.StatusSequence).SingleAsync()));

        // A change based on the referral as it was before the acceptance is refused.
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"{kommune.Base}/incoming-referrals/{referralId}/status") { Content = JsonContent.Create(new { status = "Started" }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        using (var refused = await kommune.Http.SendAsync(stale))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        }

        Assert.Equal("Accepted", (await kommune.GetAsync($"/incoming-referrals/{referralId}")).GetProperty("status").GetString());

        // Once it ended longer ago than the retention period, the provider keeps neither reason nor identity.
        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Rejected", reason = "Keine Kapazität" });
        await service.Kommune.WithDbAsync(async db =>
        {
            var received = await db.IncomingReferrals.SingleAsync(r => r.Id == referralId);
            received.StatusChangedAt = service.Clock.GetUtcNow().UtcDateTime.AddDays(-800);
            return await db.SaveChangesAsync();
        });
        await service.Kommune.Services.GetRequiredService<Retention.RetentionJob>().RunOnceAsync(CancellationToken.None);
        Assert.Null(await service.Kommune.WithDbAsync(db => db.IncomingReferrals.Where(r => r.Id == referralId).Select(r => r.Reason).SingleAsync()));
    }

    [Fact]
    public async Task A_tenant_cannot_act_on_another_tenants_incoming_referrals_through_its_own_service()
    {
        var response = await service.Caritas.ClientFor("kommune").GetAsync("/api/tenants/kommune/incoming-referrals");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var forbidden = await service.Kommune.ClientFor("caritas").GetAsync("/api/tenants/kommune/incoming-referrals");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<Box?> TryGetAsync(CaseApiClient api, string path)
    {
        var response = await api.Http.GetAsync(api.Base + path);
        return response.StatusCode == HttpStatusCode.OK ? new Box(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone()) : null;
    }

    private sealed record Box(JsonElement Value);
}
