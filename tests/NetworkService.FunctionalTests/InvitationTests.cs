using System.Globalization;
using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Notifications;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// Invitations with the agenda go by e-mail to the members and deputies of the steering group: queued in the notification
/// outbox with the audit entry, then written to the pickup directory or delivered by SMTP, retried until they went out.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class InvitationTests(NetworkServiceFixture service) : IAsyncLifetime
{
    private const string Members = "/api/network/steering/members";
    private const string Meetings = "/api/network/steering/meetings";

    private readonly List<(HttpClient Client, Guid Meeting)> planned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The meetings planned here and still planned are cancelled: other tests look for the next planned meeting.</summary>
    public async Task DisposeAsync()
    {
        foreach (var (client, meeting) in planned)
        {
            var state = await client.GetJsonAsync($"{Meetings}/{meeting}");
            if (state.Str("status") == "Planned")
            {
                await client.PostAsync($"{Meetings}/{meeting}/cancel", new { reason = "Testende" }, HttpStatusCode.OK);
            }
        }
    }

    [Fact]
    public async Task Inviting_to_a_planned_meeting_queues_one_invitation_per_member_and_deputy_with_an_address_and_names_those_without()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var people = await AddPeopleAsync(group);

        var title = "Einladungstest " + people.Suffix;
        var meeting = await PlanAsync(client, title);
        var invited = await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.OK);

        // Every current member, with voting right or not, and every deputy; the one who left is not invited.
        var (addresses, withoutEmail) = await ExpectedAsync(client, meeting);
        Assert.Equal(addresses.Count, invited.GetProperty("queued").GetInt32());
        var named = invited.GetProperty("withoutEmail").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Equal(withoutEmail.Order(), named.Order());
        Assert.Contains(people.WithoutAddress, named);
        Assert.Contains("Geschäftsführung Diakonie", named);
        Assert.DoesNotContain(people.Member, named);

        var queued = await NotificationsAsync(meeting);
        Assert.Equal(addresses.Order(), queued.Select(n => n.Recipient).Order());
        Assert.Contains(people.MemberEmail, addresses);
        Assert.Contains(people.DeputyEmail, addresses);
        Assert.Contains(people.AdvisoryEmail, addresses);
        Assert.DoesNotContain(people.LeftEmail, addresses);

        var toMember = queued.Single(n => n.Recipient == people.MemberEmail);
        Assert.Equal(Subject("Einladung", title), toMember.Subject);
        Assert.Contains($"Guten Tag {people.Member},", toMember.Body, StringComparison.Ordinal);
        Assert.Contains("1. Begrüßung und Feststellung der Beschlussfähigkeit\n2. Haushalt 2027", toMember.Body, StringComparison.Ordinal);
        Assert.Contains($"http://kim.test/lenkungsgruppe/sitzungen/{meeting}", toMember.Body, StringComparison.Ordinal);
        Assert.Contains($"Sie erhalten diese Einladung als Stellvertretung von {people.Member}.",
            queued.Single(n => n.Recipient == people.DeputyEmail).Body, StringComparison.Ordinal);

        var audit = await client.GetJsonAsync($"/api/network/steering/audit?subjectId={meeting}");
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "meeting.invitations-sent");

        // After the agenda changed, inviting again sends an updated invitation to whoever was invited before.
        var again = await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.OK);
        Assert.Equal(addresses.Count, again.GetProperty("queued").GetInt32());
        var updated = (await NotificationsAsync(meeting)).Where(n => n.Recipient == people.MemberEmail).OrderBy(n => n.Id).Last();
        Assert.Equal(Subject("Aktualisierte Einladung", title), updated.Subject);
        Assert.Contains("wurde aktualisiert", updated.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_held_or_cancelled_meeting_gets_no_invitations_and_nothing_is_queued()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        await AddPeopleAsync(group);

        var cancelled = await PlanAsync(client, "Abgesagte Sitzung");
        await client.PostAsync($"{Meetings}/{cancelled}/cancel", new { reason = "Terminkonflikt" }, HttpStatusCode.OK);
        var held = await PlanAsync(client, "Abgehaltene Sitzung");
        await client.PostAsync($"{Meetings}/{held}/hold", new { minutes = "Kurzprotokoll" }, HttpStatusCode.OK);

        foreach (var meeting in new[] { cancelled, held })
        {
            var refused = await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.Conflict);
            Assert.Equal("Sitzung nicht geplant", refused.Str("title"));
            Assert.StartsWith("Einladungen gehen nur zu einer geplanten Sitzung hinaus", refused.Str("detail"), StringComparison.Ordinal);
            Assert.Empty(await NotificationsAsync(meeting));
            Assert.DoesNotContain((await client.GetJsonAsync($"/api/network/steering/audit?subjectId={meeting}")).EnumerateArray(),
                a => a.Str("action") == "meeting.invitations-sent");
        }

        // Only the coordinating office invites; an unknown meeting is not found.
        var planned = await PlanAsync(client, "Geplante Sitzung");
        await group.Member(SteeringGroup.UserA).PostAsync($"{Meetings}/{planned}/invitations", new { }, HttpStatusCode.Forbidden);
        await service.ClientFor(KimRoles.Coordinator, "andere", "diakonie").PostAsync($"{Meetings}/{planned}/invitations", new { }, HttpStatusCode.Forbidden);
        await client.PostAsync($"{Meetings}/{Guid.NewGuid()}/invitations", new { }, HttpStatusCode.NotFound);
        Assert.Empty(await NotificationsAsync(planned));
    }

    [Fact]
    public async Task Without_an_SMTP_host_the_dispatcher_writes_each_invitation_as_an_eml_file_into_the_pickup_directory()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var people = await AddPeopleAsync(group);
        var title = "Ablagetest " + people.Suffix;
        var meeting = await PlanAsync(client, title);
        var queued = (await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.OK)).GetProperty("queued").GetInt32();

        var files = await Eventually.ValueAsync(async () =>
        {
            var found = PickedUp().Where(m => m.Subject?.Contains(title, StringComparison.Ordinal) == true).ToList();
            return found.Count == queued ? found : null;
        }, $"{queued} .eml files for '{title}' in the pickup directory");

        var toMember = files.Single(m => m.To.Mailboxes.Any(a => a.Address == people.MemberEmail));
        Assert.Equal(Subject("Einladung", title), toMember.Subject);
        Assert.Equal("kim@localhost", toMember.From.Mailboxes.Single().Address);
        Assert.Contains("1. Begrüßung und Feststellung der Beschlussfähigkeit", toMember.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains("2. Haushalt 2027", toMember.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains($"/lenkungsgruppe/sitzungen/{meeting}", toMember.TextBody ?? "", StringComparison.Ordinal);

        await Eventually.TrueAsync(async () => (await NotificationsAsync(meeting)).All(n => n.SentAt is not null), "every invitation marked sent");
        Assert.All(await NotificationsAsync(meeting), n => Assert.Equal(1, n.Attempts));
    }

    [Fact]
    public async Task With_an_SMTP_host_the_invitations_are_delivered_to_the_server()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var people = await AddPeopleAsync(group);
        await using var smtp = new FakeSmtpServer();
        UseSmtp(smtp);
        try
        {
            var title = "SMTP-Test " + people.Suffix;
            var meeting = await PlanAsync(client, title);
            var queued = (await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.OK)).GetProperty("queued").GetInt32();

            await Eventually.TrueAsync(() => Task.FromResult(smtp.Received.Count(r => r.Message.Subject?.Contains(title, StringComparison.Ordinal) == true) == queued),
                $"{queued} messages for '{title}' at the SMTP server");
            var (recipients, message) = smtp.Received.Single(r => r.Recipients.Contains(people.MemberEmail) && r.Message.Subject?.Contains(title, StringComparison.Ordinal) == true);
            Assert.Equal([people.MemberEmail], recipients);
            Assert.Equal(Subject("Einladung", title), message.Subject);
            Assert.Contains("2. Haushalt 2027", message.TextBody ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(PickedUp(), m => m.Subject?.Contains(title, StringComparison.Ordinal) == true);
            await Eventually.TrueAsync(async () => (await NotificationsAsync(meeting)).All(n => n.SentAt is not null), "every invitation marked sent");
        }
        finally
        {
            UsePickupDirectory();
        }
    }

    [Fact]
    public async Task A_failing_transport_keeps_the_invitations_queued_with_their_attempts_until_it_works_again()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var people = await AddPeopleAsync(group);
        await using var smtp = new FakeSmtpServer { Refuse = true };
        UseSmtp(smtp);
        try
        {
            var title = "Ausfalltest " + people.Suffix;
            var meeting = await PlanAsync(client, title);
            var queued = (await client.PostAsync($"{Meetings}/{meeting}/invitations", new { }, HttpStatusCode.OK)).GetProperty("queued").GetInt32();

            await Eventually.TrueAsync(async () => (await NotificationsAsync(meeting)).All(n => n.Attempts >= 1), "every invitation tried once");
            var failed = await NotificationsAsync(meeting);
            Assert.Equal(queued, failed.Count);
            Assert.All(failed, n =>
            {
                Assert.Null(n.SentAt);
                Assert.Equal("smtp-451", n.LastError);
                Assert.NotNull(n.NextAttemptAt);
            });
            Assert.DoesNotContain(smtp.Received, r => r.Message.Subject?.Contains(title, StringComparison.Ordinal) == true);

            // The server works again; once the retry is due, every invitation goes out, none is lost or sent twice.
            smtp.Refuse = false;
            service.Clock.Advance(TimeSpan.FromMinutes(5));
            await Eventually.TrueAsync(async () => (await NotificationsAsync(meeting)).All(n => n.SentAt is not null), "every invitation sent after the retry");
            Assert.Equal(queued, smtp.Received.Count(r => r.Message.Subject?.Contains(title, StringComparison.Ordinal) == true));
            Assert.All(await NotificationsAsync(meeting), n =>
            {
                Assert.True(n.Attempts >= 2, $"attempts {n.Attempts}");
                Assert.Null(n.LastError);
                Assert.Null(n.NextAttemptAt);
            });
        }
        finally
        {
            UsePickupDirectory();
        }
    }

    [Fact]
    public async Task An_invalid_email_address_is_refused_with_a_German_message_and_nothing_changes()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var userId = "lg-mail-" + suffix;

        foreach (var (email, message) in new[]
        {
            ("keine-adresse", "Keine gültige E-Mail-Adresse (Beispiel: name@kommune.de)."),
            ("zwei leer@kommune.de", "Keine gültige E-Mail-Adresse (Beispiel: name@kommune.de)."),
            (new string('a', 190) + "@kommune.de", "Höchstens 200 Zeichen."),
        })
        {
            var refused = await client.PostAsync(Members, new
            {
                organisationId = group.Organisations[2],
                name = "Falsche Adresse " + suffix,
                userId,
                userTenant = NetworkServiceFixture.CoordinatingTenant,
                hasVotingRight = false,
                email,
            }, HttpStatusCode.BadRequest);
            Assert.Contains(message, refused.GetProperty("errors").GetProperty("email").EnumerateArray().Select(e => e.GetString()));
        }

        Assert.DoesNotContain((await client.GetJsonAsync(Members)).EnumerateArray(), m => m.Str("userId") == userId);

        var member = await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[2],
            name = "Richtige Adresse " + suffix,
            userId,
            userTenant = NetworkServiceFixture.CoordinatingTenant,
            hasVotingRight = false,
            email = $" richtig-{suffix}@kommune.de ",
        });
        Assert.Equal($"richtig-{suffix}@kommune.de", member.Str("email"));
        Assert.Equal(JsonValueKind.Null, member.GetProperty("deputyEmail").ValueKind);

        var wrongUpdate = await client.PutAsync($"{Members}/{member.Id()}", new { hasVotingRight = true, email = "kommune.de", deputyEmail = $"vertretung-{suffix}@kommune.de" },
            HttpStatusCode.BadRequest);
        var errors = wrongUpdate.GetProperty("errors");
        Assert.Equal("Keine gültige E-Mail-Adresse (Beispiel: name@kommune.de).", errors.GetProperty("email")[0].GetString());
        Assert.Equal("Nur zusammen mit einer Stellvertretung.", errors.GetProperty("deputyEmail")[0].GetString());

        var unchanged = (await client.GetJsonAsync(Members)).EnumerateArray().Single(m => m.Id() == member.Id());
        Assert.Equal($"richtig-{suffix}@kommune.de", unchanged.Str("email"));
        Assert.False(unchanged.GetProperty("hasVotingRight").GetBoolean());

        var changed = await client.PutAsync($"{Members}/{member.Id()}", new
        {
            hasVotingRight = false,
            email = $"neu-{suffix}@kommune.de",
            deputyName = "Vertretung " + suffix,
            deputyUserId = userId + "-deputy",
            deputyTenant = NetworkServiceFixture.CoordinatingTenant,
            deputyEmail = $"vertretung-{suffix}@kommune.de",
        });
        Assert.Equal($"neu-{suffix}@kommune.de", changed.Str("email"));
        Assert.Equal($"vertretung-{suffix}@kommune.de", changed.Str("deputyEmail"));
    }

    private sealed record People(string Suffix, string Member, string MemberEmail, string DeputyEmail, string AdvisoryEmail, string WithoutAddress, string LeftEmail);

    /// <summary>
    /// Adds to the steering group a voting member with an address and a deputy with one, a member without voting right
    /// with an address, one without any address, and one whose membership ended today.
    /// </summary>
    private async Task<People> AddPeopleAsync(SteeringGroup group)
    {
        // Without voting right: the shared steering group's quorum, which other tests count on, stays as it is.
        var client = group.Coordinator;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var people = new People(suffix, "Leitung Integration " + suffix, $"leitung-{suffix}@kommune.test", $"vertretung-{suffix}@kommune.test",
            $"beratung-{suffix}@kommune.test", "Ohne Adresse " + suffix, $"ehemals-{suffix}@kommune.test");
        var tenant = NetworkServiceFixture.CoordinatingTenant;
        var member = await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[0],
            name = people.Member,
            userId = "lg-inv-" + suffix,
            userTenant = tenant,
            hasVotingRight = false,
            email = people.MemberEmail,
            deputyName = "Vertretung Integration " + suffix,
            deputyUserId = "lg-inv-deputy-" + suffix,
            deputyTenant = tenant,
            deputyEmail = people.DeputyEmail,
        });
        Assert.Equal(people.MemberEmail, member.Str("email"));
        Assert.Equal(people.DeputyEmail, member.Str("deputyEmail"));
        await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[1],
            name = "Beratung " + suffix,
            userId = "lg-adv-" + suffix,
            userTenant = tenant,
            hasVotingRight = false,
            email = people.AdvisoryEmail,
        });
        await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[2],
            name = people.WithoutAddress,
            userId = "lg-none-" + suffix,
            userTenant = tenant,
            hasVotingRight = false,
        });
        var left = await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[2],
            name = "Ehemals " + suffix,
            userId = "lg-left-" + suffix,
            userTenant = tenant,
            hasVotingRight = false,
            email = people.LeftEmail,
        });
        await client.PostAsync($"{Members}/{left.Id()}/end", new { endedOn = LocalDay.Today(service.Clock), reason = "Resigned" }, HttpStatusCode.OK);
        return people;
    }

    private async Task<Guid> PlanAsync(HttpClient client, string title)
    {
        var meeting = await client.PostAsync(Meetings, new
        {
            title,
            scheduledFor = service.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromDays(7),
            agenda = new[]
            {
                new { kind = "Other", title = "Begrüßung und Feststellung der Beschlussfähigkeit" },
                new { kind = "Other", title = "Haushalt 2027" },
            },
        });
        plannedFor[title] = TimeZoneInfo.ConvertTimeFromUtc(meeting.GetProperty("scheduledFor").GetDateTime().ToUniversalTime(), LocalDay.Zone);
        planned.Add((client, meeting.Id()));
        return meeting.Id();
    }

    /// <summary>Who should be invited to <paramref name="meeting"/>: the addresses of the members still in the group that day and of their deputies, and the names without one.</summary>
    private static async Task<(List<string> Addresses, List<string> WithoutEmail)> ExpectedAsync(HttpClient client, Guid meeting)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc((await client.GetJsonAsync($"{Meetings}/{meeting}")).GetProperty("scheduledFor").GetDateTime().ToUniversalTime(), LocalDay.Zone));
        var addresses = new List<string>();
        var without = new List<string>();
        foreach (var member in (await client.GetJsonAsync(Members + "?includeEnded=true")).EnumerateArray())
        {
            if (member.GetProperty("endedOn").ValueKind != JsonValueKind.Null && DateOnly.Parse(member.Str("endedOn"), CultureInfo.InvariantCulture) <= day)
            {
                continue;
            }

            Add(member.Str("name"), member.GetProperty("email"));
            if (member.GetProperty("deputyName").ValueKind == JsonValueKind.String)
            {
                Add(member.Str("deputyName"), member.GetProperty("deputyEmail"));
            }
        }

        return (addresses, without);

        void Add(string name, JsonElement email)
        {
            if (email.ValueKind == JsonValueKind.String)
            {
                addresses.Add(email.GetString()!);
            }
            else
            {
                without.Add(name);
            }
        }
    }

    private async Task<List<Notification>> NotificationsAsync(Guid meeting)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
        return await db.Notifications.AsNoTracking().Where(n => n.SubjectId == meeting).OrderBy(n => n.Id).ToListAsync();
    }

    /// <summary>The subject of an invitation to the meeting planned with <paramref name="title"/>: its day and time in Berlin.</summary>
    private string Subject(string kind, string title) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}: {title} am {plannedFor[title]:dd.MM.yyyy} um {plannedFor[title]:HH:mm} Uhr");

    private readonly Dictionary<string, DateTime> plannedFor = [];

    private List<MimeMessage> PickedUp() =>
        Directory.Exists(service.MailDirectory)
            ? Directory.GetFiles(service.MailDirectory, "*.eml").Select(f => MimeMessage.Load(f)).ToList()
            : [];

    private void UseSmtp(FakeSmtpServer smtp)
    {
        service.Settings.Change("Notifications:Smtp:Host", "127.0.0.1");
        service.Settings.Change("Notifications:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture));
        service.Settings.Change("Notifications:Smtp:UseTls", "false");
    }

    private void UsePickupDirectory()
    {
        service.Settings.Change("Notifications:Smtp:Host", null);
        service.Settings.Change("Notifications:Smtp:Port", null);
        service.Settings.Change("Notifications:Smtp:UseTls", null);
    }
}
