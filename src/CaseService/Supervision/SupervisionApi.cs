using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Supervision;

/// <summary>Marks endpoints the coordinators of the coordinating office may call on a forwarded tenant.</summary>
public sealed class SupervisionEndpoint;

/// <summary>One case as the supervising coordinator sees it: pseudonymised, categories and counts only.</summary>
public sealed record SupervisedCase(
    string CaseKey, CasePhase Phase, CaseStatus Status, string OpenedMonth, string AgeBand, ResidenceStatus ResidenceStatus,
    int GoalsAgreed, int OpenReferrals, int OverdueReferrals, int Reviews, DateTime? LastPhaseChangeAt);

public sealed record SupervisionView(string Tenant, IReadOnlyDictionary<CasePhase, int> OpenCasesByPhase, int OverdueReferrals, PagedResponse<SupervisedCase> Cases);

/// <summary>
/// The fachaufsichtsähnliche view of the coordinating office on a forwarded tenant (see docs/security.md): no name,
/// no birth date, no free text, no case id; the CaseKey lets the coordinator refer to a case in a case review.
/// </summary>
public static class SupervisionApi
{
    public static RouteGroupBuilder MapSupervisionApi(this RouteGroupBuilder tenantApi)
    {
        tenantApi.MapGet("/supervision/cases", Cases)
            .WithTags("Supervision")
            .WithMetadata(new SupervisionEndpoint())
            .RequireAuthorization(CasePolicies.Supervise);
        return tenantApi;
    }

    public static async Task<Results<Ok<SupervisionView>, ValidationProblem>> Cases(
        CaseServices services, CancellationToken cancellationToken,
        [FromQuery] CasePhase? phase = null, [FromQuery] int skip = 0, [FromQuery] int take = 50)
    {
        var validation = new Validation().That(skip >= 0, "skip", "Darf nicht negativ sein.").That(take is >= 1 and <= 200, "take", "Zwischen 1 und 200.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var open = services.Db.Cases.AsNoTracking().Where(c => c.Status == CaseStatus.Open);
        var byPhase = await open.GroupBy(c => c.Phase).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var query = phase is { } wanted ? open.Where(c => c.Phase == wanted) : open;
        var total = await query.CountAsync(cancellationToken);
        var page = await query.Include(c => c.Client).Include(c => c.Goals).Include(c => c.Referrals).Include(c => c.Reviews).Include(c => c.History)
            .AsSplitQuery().OrderBy(c => c.OpenedAt).ThenBy(c => c.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var now = services.Now;
        var overdue = (await services.Db.Referrals.AsNoTracking()
            .Where(r => r.Status == ReferralStatus.Issued || r.Status == ReferralStatus.Accepted || r.Status == ReferralStatus.Started)
            .ToListAsync(cancellationToken)).Count(r => r.IsOverdue(now));

        var cases = page.Select(c => new SupervisedCase(
            c.CaseKey, c.Phase, c.Status, c.OpenedAt.ToString("yyyy-MM"),
            AgeBands.Of(new DateOnly(c.Client.BirthYear, 7, 1), services.Today), c.Client.ResidenceStatus,
            c.AgreedGoals.Count(), c.Referrals.Count(r => r.IsOpen), c.Referrals.Count(r => r.IsOverdue(now)), c.Reviews.Count,
            c.History.Count == 0 ? null : DateTime.SpecifyKind(c.History.Max(h => h.At), DateTimeKind.Utc))).ToList();
        await services.AuditReadAsync([services.Entry("supervision.viewed", "tenant", Guid.Empty.ToString(), AuditPurposes.Supervision)], cancellationToken);
        return TypedResults.Ok(new SupervisionView(services.TenantId, byPhase, overdue, new PagedResponse<SupervisedCase>(cases, total, skip, take)));
    }
}
