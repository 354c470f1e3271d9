using System.Net;

namespace Kim.CaseService.FunctionalTests;

/// <summary>The coordinating office supervises a forwarded tenant through the pseudonymised view only.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class SupervisionTests(CaseServiceFixture service)
{
    [Fact]
    public async Task Coordinators_of_the_coordinating_office_see_caritas_pseudonymised_and_nothing_else()
    {
        var caritas = new CaseApiClient(service.ClientFor("caritas"), "caritas", service.Clock);
        var familyName = "Aufsicht" + Guid.NewGuid().ToString("N")[..8];
        var (id, _) = await caritas.CaseInAsync("GoalAgreement", "Supervised", familyName);
        var caseKey = await service.WithDbAsync(db => Task.FromResult(db.Cases.Single(c => c.Id == id).CaseKey));

        var supervisor = service.ClientFor("kommune", "coordinator", "ks-koordination");
        var response = await supervisor.GetAsync("/api/tenants/caritas/supervision/cases?take=200");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(caseKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(familyName, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Supervised", text, StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1991-04-12", text, StringComparison.Ordinal);

        // Only the supervision view, only coordinators, only of the coordinating office.
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/tenants/caritas/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync($"/api/tenants/caritas/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("kommune", "case-manager").GetAsync("/api/tenants/caritas/supervision/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("diakonie", "coordinator").GetAsync("/api/tenants/caritas/supervision/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("caritas", "case-manager").GetAsync("/api/tenants/caritas/supervision/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor("caritas", "coordinator").GetAsync("/api/tenants/caritas/supervision/cases")).StatusCode);
    }
}
