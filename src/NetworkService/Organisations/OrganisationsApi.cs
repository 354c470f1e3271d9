using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Organisations;

public sealed record RegisterOrganisationRequest
{
    public string? Name { get; init; }

    public OrganisationType? Type { get; init; }

    public Validation Validate() => new Validation()
        .Text("name", Name)
        .Required("type", Type);
}

public sealed record OrganisationResponse(Guid Id, string Name, OrganisationType Type, DateTime RegisteredAt)
{
    public static OrganisationResponse From(Organisation o) =>
        new(o.Id, o.Name, o.Type, DateTime.SpecifyKind(o.RegisteredAt, DateTimeKind.Utc));
}

public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder network)
    {
        var organisations = network.MapGroup("/organisations").WithTags("Organisations");
        organisations.MapPost("/", Register).WithName("RegisterOrganisation");
        organisations.MapGet("/", List).WithName("ListOrganisations");
        organisations.MapGet("/{id:guid}", Get).WithName("GetOrganisation");
        return network;
    }

    public static async Task<Results<Created<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterOrganisationRequest request, NetworkDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var name = request.Name!.Trim();
        if (await db.Organisations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Organisation bereits erfasst",
                detail: "An organisation with this name is already registered.", type: ProblemTypes.Conflict);
        }

        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Type = request.Type!.Value,
            RegisteredAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/organisations/{organisation.Id}", OrganisationResponse.From(organisation));
    }

    public static async Task<Ok<OrganisationResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var all = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(all.Select(OrganisationResponse.From).ToArray());
    }

    public static async Task<Results<Ok<OrganisationResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return found is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Organisation nicht gefunden", type: ProblemTypes.NotFound)
            : TypedResults.Ok(OrganisationResponse.From(found));
    }
}
