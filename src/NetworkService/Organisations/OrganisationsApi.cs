using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Organisations;

public sealed record ContactRequest(string? Name, string? Function, string? Email, string? Phone);

public sealed record RegisterOrganisationRequest
{
    public string? Name { get; init; }

    public OrganisationType? Type { get; init; }

    public string? TenantId { get; init; }

    public IReadOnlyList<LegalDomain>? LegalDomains { get; init; }

    public IReadOnlyList<ContactRequest>? Contacts { get; init; }

    public Validation Validate()
    {
        var validation = new Validation()
            .Text("name", Name)
            .Required("type", Type)
            .Text("tenantId", TenantId, required: false, maxLength: 100);
        var contacts = Contacts ?? [];
        for (var i = 0; i < contacts.Count; i++)
        {
            validation
                .Text($"contacts[{i}].name", contacts[i].Name)
                .Text($"contacts[{i}].function", contacts[i].Function, required: false)
                .Text($"contacts[{i}].email", contacts[i].Email, required: false)
                .Text($"contacts[{i}].phone", contacts[i].Phone, required: false, maxLength: 40)
                .That(contacts[i].Email is null || contacts[i].Email!.Contains('@', StringComparison.Ordinal), $"contacts[{i}].email", "Keine gültige E-Mail-Adresse.");
        }

        return validation;
    }
}

public sealed record OrganisationResponse(
    Guid Id, string Name, OrganisationType Type, string? TenantId, IReadOnlyList<LegalDomain> LegalDomains,
    IReadOnlyList<Contact> Contacts, DateTime RegisteredAt)
{
    public static OrganisationResponse From(Organisation o) =>
        new(o.Id, o.Name, o.Type, o.TenantId, o.LegalDomains, o.Contacts, DateTime.SpecifyKind(o.RegisteredAt, DateTimeKind.Utc));
}

public sealed record AddOfferRequest
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    public LegalDomain? LegalDomain { get; init; }

    public LifeDomain? LifeDomain { get; init; }

    public string? AccessConditions { get; init; }

    public Validation Validate() => new Validation()
        .Text("title", Title)
        .Text("description", Description, required: false, maxLength: 2000)
        .Required("legalDomain", LegalDomain)
        .Required("lifeDomain", LifeDomain)
        .Text("accessConditions", AccessConditions, required: false, maxLength: 2000);
}

public sealed record OfferResponse(
    Guid Id, Guid OrganisationId, string OrganisationName, string Title, string? Description, LegalDomain LegalDomain,
    LifeDomain LifeDomain, string? AccessConditions);

public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder network)
    {
        var organisations = network.MapGroup("/organisations").WithTags("Organisations");
        organisations.MapPost("/", Register).WithName("RegisterOrganisation").RequireAuthorization(NetworkPolicies.Manage);
        organisations.MapGet("/", List).WithName("ListOrganisations");
        organisations.MapGet("/{id:guid}", Get).WithName("GetOrganisation");
        organisations.MapPost("/{id:guid}/offers", AddOffer).WithName("AddServiceOffer").RequireAuthorization(NetworkPolicies.Manage);

        network.MapGet("/offers", SearchOffers).WithTags("Organisations").WithName("SearchServiceOffers");
        return network;
    }

    public static async Task<Results<Created<OrganisationResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterOrganisationRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var name = request.Name!.Trim();
        if (await db.Organisations.AnyAsync(o => o.Name == name, cancellationToken))
        {
            return Problems.Conflict("Organisation bereits erfasst", "Eine Organisation mit diesem Namen ist bereits erfasst.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Type = request.Type!.Value,
            TenantId = string.IsNullOrWhiteSpace(request.TenantId) ? null : request.TenantId.Trim(),
            LegalDomains = (request.LegalDomains ?? []).Distinct().ToList(),
            Contacts = (request.Contacts ?? []).Select(c => new Contact(c.Name!.Trim(), c.Function?.Trim(), c.Email?.Trim(), c.Phone?.Trim())).ToList(),
            RegisteredAt = now,
        };
        db.Organisations.Add(organisation);
        db.AddIntegrationEvent(new OrganisationRegistered
        {
            OrganisationId = organisation.Id,
            Name = organisation.Name,
            Type = organisation.Type,
            TenantId = organisation.TenantId,
            OccurredAt = now,
        }, now);
        db.Audit(user, "organisation.registered", organisation.Id, now, organisation.Name);
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde eine Organisation mit diesem Namen erfasst.");
        }

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
            ? Problems.NotFound("Organisation nicht gefunden")
            : TypedResults.Ok(OrganisationResponse.From(found));
    }

    public static async Task<Results<Created<OfferResponse>, ValidationProblem, ProblemHttpResult>> AddOffer(
        Guid id, AddOfferRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (organisation is null)
        {
            return Problems.NotFound("Organisation nicht gefunden");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var offer = new ServiceOffer
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = id,
            Title = request.Title!.Trim(),
            Description = request.Description?.Trim(),
            LegalDomain = request.LegalDomain!.Value,
            LifeDomain = request.LifeDomain!.Value,
            AccessConditions = request.AccessConditions?.Trim(),
            CreatedAt = now,
        };
        db.ServiceOffers.Add(offer);
        db.Audit(user, "offer.added", offer.Id, now, offer.Title);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/offers?organisationId={id}",
            new OfferResponse(offer.Id, id, organisation.Name, offer.Title, offer.Description, offer.LegalDomain, offer.LifeDomain, offer.AccessConditions));
    }

    public static async Task<Ok<OfferResponse[]>> SearchOffers(
        Guid? organisationId, LegalDomain? legalDomain, LifeDomain? lifeDomain, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var query = db.ServiceOffers.AsNoTracking();
        if (organisationId is { } organisation)
        {
            query = query.Where(o => o.OrganisationId == organisation);
        }

        if (legalDomain is { } legal)
        {
            query = query.Where(o => o.LegalDomain == legal);
        }

        if (lifeDomain is { } life)
        {
            query = query.Where(o => o.LifeDomain == life);
        }

        var offers = await query
            .Join(db.Organisations, o => o.OrganisationId, org => org.Id, (o, org) => new { o, org.Name })
            .OrderBy(x => x.Name).ThenBy(x => x.o.Title)
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(offers.Select(x => new OfferResponse(
            x.o.Id, x.o.OrganisationId, x.Name, x.o.Title, x.o.Description, x.o.LegalDomain, x.o.LifeDomain, x.o.AccessConditions)).ToArray());
    }
}
