using System.Net;
using System.Text.Json;
using Kim.NetworkService.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class ResponseContractTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task No_database_entity_is_part_of_the_api()
    {
        var document = await service.CreateClient().GetJsonAsync("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        await using var scope = service.Services.CreateAsyncScope();
        var entities = scope.ServiceProvider.GetRequiredService<NetworkDbContext>().Model.GetEntityTypes().Select(e => e.ClrType.Name).ToList();

        Assert.Equal(Array.Empty<string>(), entities.Where(schemas.Contains).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("MeetingResponse", schemas);
    }

    [Fact]
    public async Task Times_read_back_from_the_database_are_utc()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var meeting = await group.PlanAsync([], TimeSpan.FromDays(90));
        var groupId = (await client.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Zeiten " + Guid.NewGuid().ToString("N")[..6],
            subject = "Zeiten",
            objective = "Zeiten in UTC",
            composition = "Koordinierungsstelle",
            workingForm = "Sitzungen",
            expectedResultFormat = "Bericht",
        })).Id();
        var agreement = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Cooperation",
            partnerOrganisationId = group.Organisations[2],
            partnerTenantId = "diakonie",
            fte = 1.5m,
            supervisionArrangement = "Fachaufsicht beim Träger",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
        });

        try
        {
            AssertUtc((await client.GetJsonAsync($"/api/network/steering/meetings/{meeting}")).GetProperty("scheduledFor"));
            AssertUtc((await client.GetJsonAsync("/api/network/steering/meetings")).EnumerateArray().Single(m => m.Id() == meeting).GetProperty("scheduledFor"));
            AssertUtc((await client.GetJsonAsync("/api/network/steering/members")).EnumerateArray().Single(m => m.Id() == group.A).GetProperty("joinedAt"));
            var rules = (await client.GetJsonAsync("/api/network/steering/rules")).EnumerateArray().Single(r => r.Id() == group.FirstRules);
            AssertUtc(rules.GetProperty("createdAt"));
            AssertUtc(rules.GetProperty("inForceSince"));
            AssertUtc((await client.GetJsonAsync($"/api/network/steering/audit?subjectId={meeting}")).EnumerateArray().First().GetProperty("at"));
            AssertUtc((await client.GetJsonAsync($"/api/network/working-groups/{groupId}")).GetProperty("createdAt"));
            AssertUtc((await client.GetJsonAsync("/api/network/agreements")).EnumerateArray().Single(a => a.Id() == agreement.Id()).GetProperty("createdAt"));
        }
        finally
        {
            await client.PostAsync($"/api/network/steering/meetings/{meeting}/cancel", new { reason = "Testende" }, HttpStatusCode.OK);
        }
    }

    private static void AssertUtc(JsonElement time)
    {
        var text = time.GetString()!;
        Assert.True(text.EndsWith('Z'), $"{text} is not marked as UTC");
    }
}
