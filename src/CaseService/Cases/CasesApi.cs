using Kim.CaseService.Infrastructure;
using Kim.CaseService.Tenancy;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Cases;

public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder tenantApi)
    {
        var cases = tenantApi.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("/", OpenCase).WithName("OpenCase");
        cases.MapGet("/{id:guid}", GetCase).WithName("GetCase");
        cases.MapGet("/", ListCases).WithName("ListCases");
        return tenantApi;
    }

    public static async Task<Results<Created<CaseResponse>, ValidationProblem>> OpenCase(
        string tenant, OpenCaseRequest request, [AsParameters] CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(DateOnly.FromDateTime(services.Clock.GetUtcNow().UtcDateTime));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = services.Clock.GetUtcNow().UtcDateTime;
        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            GivenName = request.Client!.GivenName!.Trim(),
            FamilyName = request.Client.FamilyName!.Trim(),
            BirthDate = request.Client.BirthDate!.Value,
        };
        var caseId = Guid.CreateVersion7();
        var opened = Case.Open(client, services.CaseKeys.For(caseId), caseId, now);
        services.Db.Clients.Add(client);
        services.Db.Cases.Add(opened);
        services.Db.AddIntegrationEvent(new CaseOpened
        {
            OccurredAt = now,
            TenantId = services.Tenant.Value.Id,
            CaseKey = opened.CaseKey,
            AgeBand = AgeBands.Of(client.BirthDate, DateOnly.FromDateTime(now)),
            ResidenceCategory = "Unknown",
            AccessRoute = "Unknown",
        }, now);
        await services.Db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/tenants/{tenant}/cases/{opened.Id}", CaseResponse.From(tenant, opened));
    }

    public static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> GetCase(
        string tenant, Guid id, [AsParameters] CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.Db.Cases.AsNoTracking().Include(c => c.Client)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return found is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Fall nicht gefunden", type: ProblemTypes.NotFound)
            : TypedResults.Ok(CaseResponse.From(tenant, found));
    }

    public static async Task<Ok<CaseResponse[]>> ListCases(
        string tenant, [AsParameters] CaseServices services, CancellationToken cancellationToken, [FromQuery] int skip = 0, [FromQuery] int take = 50)
    {
        var page = await services.Db.Cases.AsNoTracking().Include(c => c.Client)
            .OrderBy(c => c.OpenedAt).ThenBy(c => c.Id)
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 200))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(page.Select(c => CaseResponse.From(tenant, c)).ToArray());
    }
}

public sealed class CaseServices(CaseDbContext db, CaseKeys caseKeys, TimeProvider clock, IOptions<TenantOptions> tenant)
{
    public CaseDbContext Db { get; } = db;

    public CaseKeys CaseKeys { get; } = caseKeys;

    public TimeProvider Clock { get; } = clock;

    public IOptions<TenantOptions> Tenant { get; } = tenant;
}
