using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Referrals;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Referrals;

public sealed record IssueReferralRequest
{
    public Guid? PlanItemId { get; init; }

    /// <summary>An organisation of the network registry; never free text.</summary>
    public Guid? ProviderOrganisationId { get; init; }

    /// <summary>Pass the client's identity to the provider; needs a consent for that provider.</summary>
    public bool? SharePersonalData { get; init; }

    public Validation Validate() => new Validation()
        .Required("planItemId", PlanItemId).Required("providerOrganisationId", ProviderOrganisationId).Required("sharePersonalData", SharePersonalData);
}

public sealed record ReferralStatusRequest
{
    public ReferralStatus? Status { get; init; }

    public string? Reason { get; init; }

    public bool? Successful { get; init; }

    public ReferralFailureReason? FailureReason { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Required("status", Status)
            .That(Status != ReferralStatus.Issued, "status", "Eine Vermittlung wird mit POST .../referrals ausgestellt.")
            .Text("reason", Reason, required: Status is ReferralStatus.Rejected or ReferralStatus.Cancelled, maxLength: 1000);
        if (Status == ReferralStatus.Completed)
        {
            validation.Required("successful", Successful)
                .That(Successful != false || FailureReason is not null, "failureReason", "Geben Sie an, warum die Vermittlung nicht erfolgreich war.")
                .That(Successful != true || FailureReason is null, "failureReason", "Nur bei einer nicht erfolgreichen Vermittlung.");
        }
        else
        {
            validation.That(Successful is null && FailureReason is null, "successful", "Nur beim Abschluss.");
        }

        return validation;
    }
}

/// <summary>Referrals (Leistungssteuerung): issuing for a plan item, following their status, and the overdue list.</summary>
public static class ReferralsApi
{
    public static RouteGroupBuilder MapReferralsApi(this RouteGroupBuilder tenantApi)
    {
        var referrals = tenantApi.MapGroup("").WithTags("Referrals").RequireAuthorization(CasePolicies.CaseWork);
        referrals.MapPost("/cases/{id:guid}/referrals", Issue);
        referrals.MapPost("/cases/{id:guid}/referrals/{referralId:guid}/status", ChangeStatus);
        referrals.MapGet("/referrals", List);
        return tenantApi;
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Issue(
        string tenant, Guid id, IssueReferralRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        var provider = request.ProviderOrganisationId is { } providerId
            ? await services.Db.ProviderOrganisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == providerId, cancellationToken)
            : null;
        validation.That(request.ProviderOrganisationId is null || provider is not null, "providerOrganisationId", "Keine Organisation des Netzwerkregisters.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanWork(c, CasePhase.ServiceSteering, "Eine Vermittlung ausstellen", services.Today) is { } refusal)
            {
                return refusal;
            }

            var item = c.PlanItems.SingleOrDefault(p => p.Id == request.PlanItemId);
            if (item is null)
            {
                return new Refusal("plan-item-unknown", "Hilfeplan-Eintrag unbekannt", "Der Eintrag gehört nicht zum Hilfeplan dieses Falls.");
            }

            var shares = request.SharePersonalData!.Value;

            // An organisation of the own tenant is an internal referral (a handover inside the office): no message to
            // a tenant, the case manager records its status as for a provider outside the platform.
            var providerTenant = ReferralRules.OtherTenant(provider!.TenantId, services.TenantId);
            if (shares && ReferralRules.CanShareIdentity(c.Consents, provider!.Id, provider.Type, services.Today) is { } noConsent)
            {
                return noConsent;
            }

            var referral = new Referral
            {
                Id = Guid.CreateVersion7(),
                CaseId = c.Id,
                PlanItemId = item.Id,
                ProviderOrganisationId = provider!.Id,
                ProviderOrganisationName = provider.Name,
                ProviderType = provider.Type,
                ProviderTenantId = providerTenant,
                LegalDomain = item.LegalDomain,
                LifeDomain = item.LifeDomain,
                TargetDays = item.TargetDays,
                SharesPersonalData = shares,
                IssuedAt = services.Now,
            };
            services.Db.Referrals.Add(referral);
            services.Publish(new ReferralIssued
            {
                TenantId = services.TenantId,
                CaseKey = c.CaseKey,
                ReferralId = referral.Id,
                ProviderOrganisationId = provider.Id,
                ProviderOrganisationName = provider.Name,
                ProviderTenantId = providerTenant,
                LegalDomain = referral.LegalDomain,
                LifeDomain = referral.LifeDomain,
                ServiceChainId = item.ServiceChainId,
                ServiceChainVersion = item.ServiceChainVersion,
                ChainStepOrder = item.ChainStepOrder,
                TargetDays = referral.TargetDays,
                OccurredAt = services.Now,
            });
            if (providerTenant is not null)
            {
                services.Db.AddTenantMessage(new ReferralForwarded
                {
                    ReferralId = referral.Id,
                    CaseKey = c.CaseKey,
                    PlanItemTitle = item.Title,
                    LifeDomain = referral.LifeDomain,
                    LegalDomain = referral.LegalDomain,
                    TargetDays = referral.TargetDays,
                    IdentityCovered = shares,
                    SourceTenantId = services.TenantId,
                    TargetTenantId = providerTenant,
                    OccurredAt = services.Now,
                }, services.Now);
            }

            services.Audit("referral.issued", "referral", referral.Id, shares ? AuditPurposes.Referral : AuditPurposes.CaseManagement);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> ChangeStatus(
        string tenant, Guid id, Guid referralId, ReferralStatusRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            var referral = c.Referrals.SingleOrDefault(r => r.Id == referralId);
            if (referral is null)
            {
                return new Refusal("referral-unknown", "Vermittlung unbekannt", "Die Vermittlung gehört nicht zu diesem Fall.");
            }

            var to = request.Status!.Value;
            if (ReferralRules.CanChange(referral.Status, to, referral.ProviderTenantId is not null, byProviderTenant: false) is { } refusal)
            {
                return refusal;
            }

            ReferralRules.Apply(referral, to, services.Now, request.Reason?.Trim(), request.Successful, request.FailureReason);
            PublishStatus(services, c.CaseKey, referral);
            if (to == ReferralStatus.Cancelled && referral.ProviderTenantId is { } providerTenant)
            {
                services.Db.AddTenantMessage(new ForwardedReferralWithdrawn
                {
                    ReferralId = referral.Id,
                    ConsentWithdrawn = false,
                    Reason = referral.Reason,
                    SourceTenantId = services.TenantId,
                    TargetTenantId = providerTenant,
                    OccurredAt = services.Now,
                }, services.Now);
            }

            services.Audit("referral.status-changed", "referral", referral.Id);
            return null;
        });
    }

    /// <summary>The tenant's referrals, e.g. <c>?overdue=true</c>: open past their target days, longest overdue first.</summary>
    public static async Task<Results<Ok<PagedResponse<ReferralResponse>>, ValidationProblem>> List(
        CaseServices services, CancellationToken cancellationToken,
        [FromQuery] bool overdue = false, [FromQuery] ReferralStatus? status = null, [FromQuery] int skip = 0, [FromQuery] int take = 50)
    {
        var validation = new Validation().That(skip >= 0, "skip", "Darf nicht negativ sein.").That(take is >= 1 and <= 200, "take", "Zwischen 1 und 200.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var visible = services.VisibleCases.Select(c => c.Id);
        var query = services.Db.Referrals.AsNoTracking().Where(r => visible.Contains(r.CaseId));
        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        if (overdue)
        {
            query = query.Where(r => r.Status == ReferralStatus.Issued || r.Status == ReferralStatus.Accepted || r.Status == ReferralStatus.Started);
        }

        // Due dates are computed (issue + target days); the open referrals of one tenant fit in memory.
        var now = services.Now;
        var all = await query.ToListAsync(cancellationToken);
        var selected = overdue ? all.Where(r => r.IsOverdue(now)).OrderBy(r => r.DueAt).ToList() : all.OrderByDescending(r => r.IssuedAt).ToList();
        var page = selected.Skip(skip).Take(take).Select(r => ReferralResponse.From(r, now)).ToList();
        return TypedResults.Ok(new PagedResponse<ReferralResponse>(page, selected.Count, skip, take));
    }

    internal static void PublishStatus(CaseServices services, string caseKey, Referral referral) =>
        services.Publish(new ReferralStatusChanged
        {
            TenantId = services.TenantId,
            CaseKey = caseKey,
            ReferralId = referral.Id,
            Status = referral.Status,
            Reason = referral.Reason,
            Successful = referral.Successful,
            FailureReason = referral.FailureReason,
            OccurredAt = services.Now,
        });
}
