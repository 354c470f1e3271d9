using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.EventStore;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Every event type of the contracts is kept in the event store, once per message id.</summary>
public sealed class EventStoreTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    [Fact]
    public void ReportingService_subscribes_to_every_concrete_event_type_of_the_contracts()
    {
        var expected = typeof(IntegrationEvent).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(IntegrationEvent)))
            .Select(t => t.Name)
            .Order()
            .ToList();

        Assert.Equal(expected, StoredEvents.EventTypes.Select(t => t.Name).Order().ToList());
        Assert.Contains(nameof(MeetingHeld), expected);
        Assert.Contains(nameof(CaseClosed), expected);
    }

    [Fact]
    public async Task Case_and_network_events_are_stored_once_each()
    {
        var closed = new CaseClosed
        {
            OccurredAt = DateTime.UtcNow,
            TenantId = "caritas",
            CaseKey = Guid.NewGuid().ToString("N")[..22],
            Reason = "Ziele erreicht",
            GoalsAgreed = 3,
            GoalsAchieved = 2,
            GoalsPartlyAchieved = 1,
            DurationDays = 120,
        };
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

        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == meeting.MessageId)), "MeetingHeld stored");
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == closed.MessageId)), "CaseClosed stored");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stored = await service.WithDbAsync(db => db.StoredEvents.Where(e => e.MessageId == closed.MessageId || e.MessageId == meeting.MessageId).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal("caritas", stored.Single(e => e.EventType == nameof(CaseClosed)).TenantId);
        var storedMeeting = stored.Single(e => e.EventType == nameof(MeetingHeld));
        Assert.Null(storedMeeting.TenantId);
        Assert.Contains("\"MigrantOrganisation\"", storedMeeting.Payload, StringComparison.Ordinal);
    }
}
