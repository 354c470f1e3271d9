using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Every event type of the contracts is kept in the event store, once per message id.</summary>
public sealed class EventStoreTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    [Fact]
    public async Task ReportingService_subscribes_on_the_broker_to_every_concrete_event_type_of_the_contracts()
    {
        var expected = typeof(IntegrationEvent).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(IntegrationEvent)))
            .ToList();
        Assert.Contains(typeof(MeetingHeld), expected);
        Assert.Contains(typeof(CaseClosed), expected);

        // The broker's consumer counts are statistics that lag behind the host's start by a few seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> missing;
        while (true)
        {
            var subscribed = await SubscribedExchangesAsync();
            missing = [.. expected.Where(t => !subscribed.Contains($"{t.Namespace}:{t.Name}")).Select(t => t.Name).Order(StringComparer.Ordinal)];
            if (missing.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Case_and_network_events_are_stored_once_each()
    {
        CaseClosed Closed(string caseKey) => new()
        {
            OccurredAt = DateTime.UtcNow,
            TenantId = "caritas",
            CaseKey = caseKey,
            Reason = "Ziele erreicht",
            GoalsAgreed = 3,
            GoalsAchieved = 2,
            GoalsPartlyAchieved = 1,
            DurationDays = 120,
        };
        var closed = Closed(Guid.NewGuid().ToString("N")[..22]);
        var marker = Closed(Guid.NewGuid().ToString("N")[..22]);
        var meeting = new MeetingHeld
        {
            OccurredAt = DateTime.UtcNow,
            MeetingId = Guid.NewGuid(),
            HeldOn = new DateOnly(2026, 11, 20),
            VotingMembers = 12,
            VotingMembersPresent = 9,
            Quorate = true,
            RepresentedTypes = [OrganisationType.Carrier, OrganisationType.MigrantOrganisation],
        };

        await service.PublishAsync(closed);
        await service.PublishAsync(closed);
        await service.PublishAsync(meeting);
        // A later event on the duplicate's queue: once it is stored, the duplicate before it has been consumed too.
        await service.PublishAsync(marker);

        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == meeting.MessageId)), "MeetingHeld stored");
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == closed.MessageId)), "CaseClosed stored");
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == marker.MessageId)), "the later CaseClosed stored");
        var stored = await service.WithDbAsync(db => db.StoredEvents.Where(e => e.MessageId == closed.MessageId || e.MessageId == meeting.MessageId).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal("caritas", stored.Single(e => e.EventType == nameof(CaseClosed)).TenantId);
        var storedMeeting = stored.Single(e => e.EventType == nameof(MeetingHeld));
        Assert.Null(storedMeeting.TenantId);
        Assert.Contains("\"MigrantOrganisation\"", storedMeeting.Payload, StringComparison.Ordinal);

        // The redelivered copy left nothing behind, under no other key either.
        var ofClosedCase = await service.WithDbAsync(db => db.StoredEvents.Where(e => e.Payload.Contains(closed.CaseKey)).ToListAsync());
        Assert.Equal(closed.MessageId, Assert.Single(ofClosedCase).MessageId);
        Assert.Equal(1, await service.WithDbAsync(db => db.InboxMessages.CountAsync(m => m.MessageId == closed.MessageId)));
    }

    /// <summary>
    /// The message-type exchanges (<c>namespace:type</c>) from which a message reaches, directly or through other
    /// exchanges, a queue of the service's virtual host with at least one consumer: what the host really receives.
    /// </summary>
    private async Task<HashSet<string>> SubscribedExchangesAsync()
    {
        var management = service.Broker.Endpoint.ManagementUri;
        var virtualHost = Uri.UnescapeDataString(new Uri(service.MessagingUri).AbsolutePath.TrimStart('/'));
        using var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        var bindings = await http.GetFromJsonAsync<List<Binding>>($"api/bindings/{Uri.EscapeDataString(virtualHost)}") ?? [];
        using var client = service.Broker.Management();
        var consumedQueues = (await client.QueuesAsync(virtualHost)).Where(q => q.Consumers > 0).Select(q => q.Name).ToHashSet(StringComparer.Ordinal);

        var reaching = new HashSet<string>(StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            foreach (var binding in bindings.Where(b => b.Source.Length > 0))
            {
                var reaches = binding.DestinationType == "queue" ? consumedQueues.Contains(binding.Destination) : reaching.Contains(binding.Destination);
                grew |= reaches && reaching.Add(binding.Source);
            }
        }
        while (grew);

        return reaching;
    }

    private sealed record Binding(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("destination")] string Destination,
        [property: JsonPropertyName("destination_type")] string DestinationType);
}
