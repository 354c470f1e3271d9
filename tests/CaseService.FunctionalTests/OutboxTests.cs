using System.Net.Http.Json;
using System.Text.Json;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

/// <summary>The outbox against a real broker: nothing is marked sent that no queue received.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class OutboxTests(CaseServiceFixture service)
{
    [Fact]
    public async Task Event_without_any_bound_queue_stays_in_the_outbox_until_a_subscriber_binds()
    {
        // No queue is bound to the CaseOpened exchange in this virtual host: RabbitMQ would drop the publish.
        var response = await service.ClientFor(CaseServiceFixture.Tenant).PostAsJsonAsync("/api/tenants/caritas/cases",
            new { client = new { givenName = "Olena", familyName = "Koval", birthDate = "1984-02-29" } });
        response.EnsureSuccessStatusCode();
        var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var caseKey = (await service.WithDbAsync(db => db.Cases.SingleAsync(c => c.Id == caseId))).CaseKey;

        var row = await Eventually.ValueAsync(async () =>
        {
            var r = await service.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageType.EndsWith("CaseOpened") && m.Payload.Contains(caseKey)));
            return r.Attempts > 0 ? r : null;
        }, "a failed publish attempt (no queue bound yet)");
        Assert.Null(row.SentAt);
        Assert.Contains("NO_ROUTE", row.LastError, StringComparison.Ordinal);

        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:CaseOpened");

        // Rows of earlier tests that waited for a subscriber as well may come first.
        var raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        while (!raw.Contains(caseKey, StringComparison.Ordinal))
        {
            raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        }

        var sent = await Eventually.ValueAsync(async () =>
        {
            var r = await service.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageType.EndsWith("CaseOpened") && m.Payload.Contains(caseKey)));
            return r.SentAt is null ? null : r;
        }, "the outbox row to be sent");
        Assert.Equal(row.Id, sent.Id);
        Assert.DoesNotContain(await probe.DrainAsync(), other => other.Contains(caseKey, StringComparison.Ordinal));
    }
}
