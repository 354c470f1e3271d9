using System.Security.Claims;
using Kim.CaseService.Audit;
using Kim.CaseService.Infrastructure;
using Kim.CaseService.Protection;
using Kim.CaseService.Tenancy;
using Kim.Contracts;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Cases;

/// <summary>What every case endpoint needs: the database, the clock, the tenant, the caller, protection and audit.</summary>
public sealed class CaseServices(
    CaseDbContext db, CaseKeys caseKeys, IdentityProtector protector, TimeProvider clock, IOptions<TenantOptions> tenant, IHttpContextAccessor http)
{
    public CaseDbContext Db { get; } = db;

    public CaseKeys CaseKeys { get; } = caseKeys;

    public IdentityProtector Protector { get; } = protector;

    public TimeProvider Clock { get; } = clock;

    public string TenantId { get; } = tenant.Value.Id;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string UserId => User.FindFirstValue(KimClaims.Subject) ?? "unknown";

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>The case with everything its rules look at, tracked for change; null when there is none.</summary>
    public Task<Case?> LoadAsync(Guid id, CancellationToken cancellationToken) =>
        Db.Cases
            .Include(c => c.Client)
            .Include(c => c.Assessments)
            .Include(c => c.Goals)
            .Include(c => c.PlanItems)
            .Include(c => c.Referrals)
            .Include(c => c.Deliveries)
            .Include(c => c.Reviews)
            .Include(c => c.History)
            .Include(c => c.Consents)
            .AsSplitQuery()
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);

    public void Audit(string action, string resourceType, Guid resourceId, string purpose = AuditPurposes.CaseManagement) =>
        Db.Audit(AuditEntry.For(User, action, resourceType, resourceId.ToString(), purpose, Now));

    public void Publish(IntegrationEvent integrationEvent) => Db.AddIntegrationEvent(integrationEvent, Now);

    /// <summary>Records a phase change in the history and publishes it.</summary>
    public void ChangePhase(Case @case, CasePhase to, bool backward, string? reason)
    {
        var from = @case.Phase;
        @case.Phase = to;
        Db.PhaseChanges.Add(new PhaseChange { CaseId = @case.Id, From = from, To = to, IsBackward = backward, Reason = reason, At = Now, By = UserId });
        Publish(new Contracts.Cases.CasePhaseChanged
        {
            TenantId = TenantId,
            CaseKey = @case.CaseKey,
            From = from,
            To = to,
            IsBackward = backward,
            OccurredAt = Now,
        });
    }

    public ClientIdentity? IdentityOf(Client client) =>
        client.ProtectedIdentity is null ? null : Protector.Unprotect(client.Id, client.ProtectedIdentity);
}

/// <summary>The problem answers of the case API.</summary>
public static class CaseProblems
{
    public static ProblemHttpResult Refused(Refusal refusal) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: refusal.Title,
        detail: refusal.Detail,
        type: refusal.Type,
        extensions: new Dictionary<string, object?> { ["precondition"] = refusal.Code });

    public static ProblemHttpResult NotFound(string title = "Fall nicht gefunden") =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, type: ProblemTypes.NotFound);
}
