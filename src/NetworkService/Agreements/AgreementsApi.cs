using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Agreements;

public sealed record DraftAgreementRequest
{
    public AgreementKind? Kind { get; init; }

    public Guid? PartnerOrganisationId { get; init; }

    /// <summary>
    /// Defaults to the tenant id of the partner organisation in the registry. Needed for a forwarding contract; a
    /// cooperation partner without a tenant on the platform (e.g. a Jobcenter) has none.
    /// </summary>
    public string? PartnerTenantId { get; init; }

    public decimal? Fte { get; init; }

    public string? SupervisionArrangement { get; init; }

    public bool? UsesCommonInstruments { get; init; }

    public DateOnly? ValidFrom { get; init; }

    public DateOnly? ValidUntil { get; init; }

    public Validation Validate() => new Validation()
        .Required("kind", Kind)
        .Required("partnerOrganisationId", PartnerOrganisationId)
        .Text("partnerTenantId", PartnerTenantId, required: false, maxLength: 100)
        .Required("fte", Fte)
        .That(Fte is null or (> 0 and <= 1000), "fte", "Größer als 0 und höchstens 1000.")
        .Text("supervisionArrangement", SupervisionArrangement, maxLength: 2000)
        .Required("usesCommonInstruments", UsesCommonInstruments)
        .Required("validFrom", ValidFrom)
        .That(ValidUntil is null || ValidFrom is null || ValidUntil >= ValidFrom, "validUntil", "Nicht vor validFrom.");
}

/// <summary>
/// A cooperation agreement with an organisation of the registry or a forwarding contract with a carrier or member
/// town. <see cref="PartnerType"/> is the partner's type in the registry; <see cref="PartnerKind"/> is set only for a
/// carrier or member town, <see cref="PartnerTenantId"/> only for a partner with a tenant on the platform.
/// </summary>
public sealed record AgreementResponse(
    Guid Id, AgreementKind Kind, Guid PartnerOrganisationId, OrganisationType PartnerType, ForwardingPartnerKind? PartnerKind, string? PartnerTenantId, decimal Fte,
    string SupervisionArrangement, bool UsesCommonInstruments, DateOnly ValidFrom, DateOnly? ValidUntil, AgreementStatus Status, DateTime? SignedAt,
    string? SignedBy, DateTime CreatedAt)
{
    public static AgreementResponse From(Agreement a) => new(
        a.Id, a.Kind, a.PartnerOrganisationId, a.PartnerType, a.PartnerKind, a.PartnerTenantId, a.Fte, a.SupervisionArrangement, a.UsesCommonInstruments, a.ValidFrom,
        a.ValidUntil, a.Status, UtcTime.Of(a.SignedAt), a.SignedBy, UtcTime.Of(a.CreatedAt));
}

public static class AgreementsApi
{
    public static RouteGroupBuilder MapAgreementsApi(this RouteGroupBuilder network)
    {
        var agreements = network.MapGroup("/agreements").WithTags("Agreements");
        agreements.MapPost("/", Draft).RequireAuthorization(NetworkPolicies.Manage);
        agreements.MapGet("/", List);
        agreements.MapPost("/{id:guid}/sign", Sign).RequireAuthorization(NetworkPolicies.Manage);
        return network;
    }

    public static async Task<Results<Created<AgreementResponse>, ValidationProblem>> Draft(
        DraftAgreementRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        var partner = request.PartnerOrganisationId is { } partnerId
            ? await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == partnerId, cancellationToken)
            : null;
        // Any organisation of the registry can be a cooperation partner; CM positions are forwarded only to carriers and
        // member towns, which work as tenants of the platform.
        var forwarding = request.Kind == AgreementKind.Forwarding;
        var partnerKind = PartnerKindOf(partner?.Type);
        if (request.PartnerOrganisationId is not null)
        {
            validation.That(partner is not null, "partnerOrganisationId", "Unbekannte Organisation.")
                .That(partner is null || !forwarding || partnerKind is not null, "partnerOrganisationId",
                    "Weiterleitungsverträge werden nur mit einem Träger oder einer kreisangehörigen Kommune geschlossen; mit anderen Organisationen ist eine Kooperationsvereinbarung möglich.");
        }

        var tenant = string.IsNullOrWhiteSpace(request.PartnerTenantId) ? partner?.TenantId : request.PartnerTenantId.Trim();
        validation.That(partner is null || !forwarding || partnerKind is null || tenant is not null, "partnerTenantId",
            "Pflichtangabe für einen Weiterleitungsvertrag, wenn die Organisation keinen Mandanten auf der Plattform hat.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var agreement = new Agreement
        {
            Id = Guid.CreateVersion7(),
            Kind = request.Kind!.Value,
            PartnerOrganisationId = partner!.Id,
            PartnerType = partner.Type,
            PartnerKind = partnerKind,
            PartnerTenantId = tenant,
            Fte = request.Fte!.Value,
            SupervisionArrangement = request.SupervisionArrangement!.Trim(),
            UsesCommonInstruments = request.UsesCommonInstruments!.Value,
            ValidFrom = request.ValidFrom!.Value,
            ValidUntil = request.ValidUntil,
            Status = AgreementStatus.Draft,
            CreatedAt = now,
        };
        db.Agreements.Add(agreement);
        db.Audit(user, "agreement.drafted", agreement.Id, now, $"{agreement.Kind} {agreement.PartnerTenantId ?? agreement.PartnerType.ToString()}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/agreements/{agreement.Id}", AgreementResponse.From(agreement));
    }

    /// <summary>The forwarding partner kind of a registry type: only carriers and member towns have one.</summary>
    public static ForwardingPartnerKind? PartnerKindOf(OrganisationType? type) => type switch
    {
        OrganisationType.Carrier => ForwardingPartnerKind.Carrier,
        OrganisationType.MemberTown => ForwardingPartnerKind.MemberTown,
        _ => null,
    };

    public static async Task<Ok<AgreementResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var agreements = await db.Agreements.AsNoTracking().OrderBy(a => a.CreatedAt).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(agreements.Select(AgreementResponse.From).ToArray());
    }

    public static async Task<Results<Ok<AgreementResponse>, ProblemHttpResult>> Sign(
        Guid id, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (agreement is null)
        {
            return Problems.NotFound("Vereinbarung nicht gefunden");
        }

        if (agreement.Status != AgreementStatus.Draft)
        {
            return Problems.Conflict("Vereinbarung bereits unterzeichnet", $"Die Vereinbarung wurde am {agreement.SignedAt:dd.MM.yyyy} unterzeichnet.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        agreement.Status = AgreementStatus.Signed;
        agreement.SignedAt = now;
        agreement.SignedBy = user.UserId();
        if (agreement.Kind == AgreementKind.Forwarding)
        {
            // Drafting let a forwarding contract through only with a carrier or member town and its tenant.
            db.AddIntegrationEvent(new ForwardingContractSigned
            {
                ContractId = agreement.Id,
                PartnerTenantId = agreement.PartnerTenantId!,
                PartnerKind = agreement.PartnerKind!.Value,
                Fte = agreement.Fte,
                OccurredAt = now,
            }, now);
        }
        else
        {
            db.AddIntegrationEvent(new CooperationAgreementSigned
            {
                AgreementId = agreement.Id,
                PartnerTenantId = agreement.PartnerTenantId,
                PartnerKind = agreement.PartnerKind,
                PartnerType = agreement.PartnerType,
                UsesCommonInstruments = agreement.UsesCommonInstruments,
                OccurredAt = now,
            }, now);
        }

        db.Audit(user, "agreement.signed", agreement.Id, now, agreement.Kind.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AgreementResponse.From(agreement));
    }
}
