using Kim.CaseService.Consents;
using Kim.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

public enum DueKind
{
    ReferralDue,
    GoalTargetDate,
    ConsentExpiry,
    FollowUp,
    Appointment,
    PlannedReview,
}

public sealed record DueDate(DateOnly Due, DueKind Kind, Guid CaseId, Guid ItemId, string Label, bool Overdue);

/// <summary>
/// What falls due soon in the caller's open cases (or all open cases the caller may see): referrals, goal target dates,
/// consent expiries, and follow-ups and appointments (with <c>mine</c>, those assigned to the caller).
/// </summary>
public static class WorklistApi
{
    public static RouteGroupBuilder MapWorklistApi(this RouteGroupBuilder tenantApi)
    {
        tenantApi.MapGet("/due-dates", DueDates).WithTags("Cases").RequireAuthorization(CasePolicies.CaseWork);
        return tenantApi;
    }

    public static async Task<Results<Ok<PagedResponse<DueDate>>, ValidationProblem>> DueDates(
        CaseServices services, CancellationToken cancellationToken,
        [FromQuery] int withinDays = 14, [FromQuery] bool mine = true, [FromQuery] int skip = 0, [FromQuery] int take = 50)
    {
        var validation = new ServiceDefaults.Validation().That(withinDays is >= 0 and <= 365, "withinDays", "Zwischen 0 und 365.")
            .That(skip >= 0, "skip", "Darf nicht negativ sein.").That(take is >= 1 and <= 200, "take", "Zwischen 1 und 200.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var user = services.UserId;
        var cases = services.VisibleCases.AsNoTracking().Where(c => c.Status == CaseStatus.Open && (!mine || c.AssignedTo == user || c.Deputies.Any(d => d.UserId == user)));
        var caseIds = cases.Select(c => c.Id);
        var today = services.Today;
        var horizon = today.AddDays(withinDays);

        var referrals = await services.Db.Referrals.AsNoTracking()
            .Where(r => caseIds.Contains(r.CaseId) && (r.Status == ReferralStatus.Issued || r.Status == ReferralStatus.Accepted || r.Status == ReferralStatus.Started))
            .ToListAsync(cancellationToken);
        var goals = await services.Db.Goals.AsNoTracking()
            .Where(g => caseIds.Contains(g.CaseId) && g.TargetDate != null && g.Evaluation == null && g.TargetDate <= horizon)
            .ToListAsync(cancellationToken);
        var consents = await services.Db.Consents.AsNoTracking()
            .Where(c => caseIds.Contains(c.CaseId) && c.Status == ConsentStatus.Given && c.ExpiresOn <= horizon)
            .ToListAsync(cancellationToken);

        var followUps = await services.Db.FollowUps.AsNoTracking()
            .Where(f => caseIds.Contains(f.CaseId) && f.DoneAt == null && f.DueOn <= horizon && (!mine || f.AssignedTo == user))
            .ToListAsync(cancellationToken);

        var due = referrals.Select(r => new DueDate(LocalDay.Of(r.DueAt), DueKind.ReferralDue, r.CaseId, r.Id, r.ProviderOrganisationName, r.IsOverdue(services.Now)))
            .Where(d => d.Due <= horizon)
            .Concat(goals.Select(g => new DueDate(g.TargetDate!.Value, DueKind.GoalTargetDate, g.CaseId, g.Id, g.LifeDomain.ToString(), g.TargetDate < today)))
            .Concat(consents.Select(c => new DueDate(c.ExpiresOn, DueKind.ConsentExpiry, c.CaseId, c.Id, c.Purpose.ToString(), c.ExpiresOn < today)))
            .Concat(followUps.Select(f => new DueDate(f.DueOn, f.Kind switch
            {
                FollowUpKind.Appointment => DueKind.Appointment,
                FollowUpKind.Review or FollowUpKind.Conference => DueKind.PlannedReview,
                _ => DueKind.FollowUp,
            }, f.CaseId, f.Id, f.Title ?? "", f.DueOn < today)))
            .OrderBy(d => d.Due).ThenBy(d => d.Kind)
            .ToList();
        return TypedResults.Ok(new PagedResponse<DueDate>(due.Skip(skip).Take(take).ToList(), due.Count, skip, take));
    }
}
