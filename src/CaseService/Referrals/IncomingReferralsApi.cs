using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.Contracts.Referrals;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Referrals;

public sealed record IncomingReferralResponse(
    Guid Id, string SourceTenantId, string SourceCaseKey, string PlanItemTitle, LifeDomain LifeDomain, LegalDomain LegalDomain, int TargetDays,
    ReferralStatus Status, DateTime ReceivedAt, DateTime DueAt, bool IdentityCovered, bool ConsentWithdrawn, string? Reason, ClientIdentity? Client);

/// <summary>The provider side of referrals from other tenants: see them, accept or reject, start and complete them.</summary>
public static class IncomingReferralsApi
{
    public static RouteGroupBuilder MapIncomingReferralsApi(this RouteGroupBuilder tenantApi)
    {
        var incoming = tenantApi.MapGroup("/incoming-referrals").WithTags("Incoming referrals").RequireAuthorization(CasePolicies.CaseWork);
        incoming.MapGet("/", List);
        incoming.MapGet("/{referralId:guid}", Get);
        incoming.MapPost("/{referralId:guid}/status", ChangeStatus);
        return tenantApi;
    }

    public static async Task<Ok<IncomingReferralResponse[]>> List(CaseServices services, CancellationToken cancellationToken)
    {
        var all = await services.Db.IncomingReferrals.AsNoTracking().OrderByDescending(r => r.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(all.Select(r => Respond(r, identity: null)).ToArray());
    }

    public static async Task<Results<Ok<IncomingReferralResponse>, ProblemHttpResult>> Get(Guid referralId, CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.Db.IncomingReferrals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound("Vermittlung nicht gefunden");
        }

        ClientIdentity? identity = null;
        if (found.ProtectedIdentity is { } protectedIdentity)
        {
            identity = services.Protector.Unprotect(found.Id, protectedIdentity);
            await services.AuditReadAsync([services.Entry("incoming-referral.read", "incoming-referral", found.Id.ToString(), AuditPurposes.Referral)], cancellationToken);
        }

        services.SetETag(found.StatusSequence);
        return TypedResults.Ok(Respond(found, identity));
    }

    public static async Task<Results<Ok<IncomingReferralResponse>, ValidationProblem, ProblemHttpResult>> ChangeStatus(
        Guid referralId, ReferralStatusRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var found = await services.Db.IncomingReferrals.SingleOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound("Vermittlung nicht gefunden");
        }

        if (services.IfMatch is { } wanted && wanted != found.StatusSequence)
        {
            return CaseProblems.Stale("Vermittlung wurde inzwischen geändert");
        }

        var to = request.Status!.Value;
        if (to == ReferralStatus.Cancelled)
        {
            return CaseProblems.Refused(new Refusal("referring-tenant-cancels", "Abbruch durch die vermittelnde Stelle",
                "Eine Vermittlung bricht der Mandant ab, der sie ausgestellt hat; der Leistungserbringer lehnt sie ab oder schließt sie ohne Erfolg ab."));
        }

        if (ReferralRules.CanChange(found.Status, to, providerIsTenant: true, byProviderTenant: true) is { } refusal)
        {
            return CaseProblems.Refused(refusal);
        }

        found.Status = to;
        found.StatusChangedAt = services.Now;
        found.StatusSequence++;
        found.AcceptedAt = to == ReferralStatus.Accepted ? services.Now : found.AcceptedAt;
        found.StartedAt = to == ReferralStatus.Started ? services.Now : found.StartedAt;
        found.Reason = request.Reason?.Trim();
        if (to == ReferralStatus.Rejected)
        {
            found.ProtectedIdentity = null;
        }

        services.Db.AddTenantMessage(new ForwardedReferralStatusChanged
        {
            ReferralId = found.Id,
            Status = to,
            Sequence = found.StatusSequence,
            AcceptedAt = found.AcceptedAt,
            StartedAt = found.StartedAt,
            Reason = found.Reason,
            Successful = request.Successful,
            FailureReason = request.FailureReason,
            SourceTenantId = services.TenantId,
            TargetTenantId = found.SourceTenantId,
            OccurredAt = services.Now,
        }, services.Now);
        services.Audit("incoming-referral.status-changed", "incoming-referral", found.Id, AuditPurposes.Referral);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another change of this referral's status was saved first: of concurrent changes exactly one wins.
            return services.IfMatch is null ? CaseProblems.ConcurrentChange() : CaseProblems.Stale("Vermittlung wurde inzwischen geändert");
        }

        services.SetETag(found.StatusSequence);
        return TypedResults.Ok(Respond(found, identity: null));
    }

    private static IncomingReferralResponse Respond(IncomingReferral r, ClientIdentity? identity) => new(
        r.Id, r.SourceTenantId, r.SourceCaseKey, r.PlanItemTitle, r.LifeDomain, r.LegalDomain, r.TargetDays, r.Status,
        ReferralResponse.Utc(r.ReceivedAt), ReferralResponse.Utc(r.ReceivedAt.AddDays(r.TargetDays)), r.IdentityCovered,
        r.ConsentWithdrawnAt is not null, r.Reason, identity);
}
