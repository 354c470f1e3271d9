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
    CaseDbContext db, CaseKeys caseKeys, IdentityProtector protector, TimeProvider clock, IOptions<TenantOptions> tenant, IHttpContextAccessor http,
    AuditWriter auditWriter)
{
    public CaseDbContext Db { get; } = db;

    public CaseKeys CaseKeys { get; } = caseKeys;

    public IdentityProtector Protector { get; } = protector;

    public TimeProvider Clock { get; } = clock;

    public string TenantId { get; } = tenant.Value.Id;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string UserId => User.FindFirstValue(KimClaims.Subject) ?? "unknown";

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => LocalDay.Of(Now);

    private readonly bool coordinatorsSeeAll = tenant.Value.CoordinatorsSeeAllCases;

    /// <summary>Whether the caller may read and change every case of the tenant (a coordinator, unless configured otherwise).</summary>
    public bool SeesAllCases => coordinatorsSeeAll && User.IsInRole(KimRoles.Coordinator);

    /// <summary>
    /// The cases the caller needs to know (§§ 67 ff. SGB X): those they are responsible for or deputy of; every case for
    /// coordinators. Every case read or change starts here, so a case outside it does not exist for the caller (404).
    /// </summary>
    public IQueryable<Case> VisibleCases
    {
        get
        {
            if (SeesAllCases)
            {
                return Db.Cases;
            }

            var user = UserId;
            return Db.Cases.Where(c => c.AssignedTo == user || c.Deputies.Any(d => d.UserId == user));
        }
    }

    /// <summary>The case with everything its rules look at, tracked for change; null when there is none the caller may see.</summary>
    public Task<Case?> LoadAsync(Guid id, CancellationToken cancellationToken) => WithCaseFile(VisibleCases).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);

    /// <summary>The case file to read (not tracked, so nothing of it can be saved by mistake); null when there is none the caller may see.</summary>
    public Task<Case?> ReadAsync(Guid id, CancellationToken cancellationToken) =>
        WithCaseFile(VisibleCases.AsNoTracking()).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);

    /// <summary>The case with its client and all its parts, one query per part (a fixed number, however long the file).</summary>
    private static IQueryable<Case> WithCaseFile(IQueryable<Case> cases) =>
        cases
            .Include(c => c.Client)
            .Include(c => c.Deputies)
            .Include(c => c.Assessments)
            .Include(c => c.Goals)
            .Include(c => c.PlanItems)
            .Include(c => c.Referrals)
            .Include(c => c.Deliveries)
            .Include(c => c.Reviews)
            .Include(c => c.History)
            .Include(c => c.Consents)
            .AsSplitQuery();

    /// <summary>
    /// The version an <c>If-Match</c> header asks for; null without the header (or with <c>*</c>). A value that is
    /// not one of our ETags never matches.
    /// </summary>
    public long? IfMatch
    {
        get
        {
            var header = http.HttpContext?.Request.Headers.IfMatch.ToString();
            if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            {
                return null;
            }

            var value = header.Trim();
            value = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
            return long.TryParse(value.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                ? version
                : -1;
        }
    }

    /// <summary>A 412 when the caller's <c>If-Match</c> names an older version of the case; null when it may go on.</summary>
    public ProblemHttpResult? CheckIfMatch(Case @case) => IfMatch is { } wanted && wanted != @case.Version ? CaseProblems.Stale() : null;

    /// <summary>
    /// Saves a change of the case (or of anything in it) on the condition that nobody changed it since it was
    /// read: the version rises by one, and of concurrent writers exactly one wins. Null on success; otherwise the
    /// problem to answer (412 with <c>If-Match</c>, 409 without).
    /// </summary>
    public async Task<ProblemHttpResult?> SaveCaseAsync(Case @case, CancellationToken cancellationToken)
    {
        if (CheckIfMatch(@case) is { } stale)
        {
            return stale;
        }

        @case.Version++;
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IfMatch is null ? CaseProblems.ConcurrentChange() : CaseProblems.Stale();
        }

        SetETag(@case);
        return null;
    }

    /// <summary>Sends the case's version as the response's <c>ETag</c>.</summary>
    public void SetETag(Case @case) => SetETag(@case.Version);

    /// <summary>Sends a record's version as the response's <c>ETag</c> (what <c>If-Match</c> names).</summary>
    public void SetETag(long version)
    {
        if (http.HttpContext is { } context)
        {
            context.Response.Headers.ETag = $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
        }
    }

    /// <summary>Queues the audit entry of a change; it is chained and saved with the change it describes.</summary>
    public void Audit(string action, string resourceType, Guid resourceId, string purpose = AuditPurposes.CaseManagement) =>
        Db.Audit(Entry(action, resourceType, resourceId.ToString(), purpose));

    /// <summary>The audit entry of a read, for <see cref="AuditReadAsync(IReadOnlyCollection{AuditEntry}, CancellationToken)"/>.</summary>
    public AuditEntry Entry(string action, string resourceType, string resourceId, string purpose = AuditPurposes.CaseManagement) =>
        AuditEntry.For(User, action, resourceType, resourceId, purpose, Now);

    /// <summary>
    /// Audits a read: returns once its entry is committed to the chain, so answer only after awaiting it. Throws
    /// <see cref="AuditUnavailableException"/> (answered 503 without data) when the entry cannot be written.
    /// </summary>
    public Task AuditReadAsync(string action, string resourceType, Guid resourceId, CancellationToken cancellationToken) =>
        AuditReadAsync([Entry(action, resourceType, resourceId.ToString())], cancellationToken);

    /// <inheritdoc cref="AuditReadAsync(string, string, Guid, CancellationToken)"/>
    public Task AuditReadAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken) =>
        auditWriter.AppendAsync(Db, entries, cancellationToken);

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

    /// <summary>412: the <c>If-Match</c> version is no longer the record's.</summary>
    public static ProblemHttpResult Stale(string title = "Fall wurde inzwischen geändert") => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: title,
        detail: "Der Datensatz wurde seit dem Laden geändert. Laden Sie ihn neu, prüfen Sie die Änderung und versuchen Sie es noch einmal.",
        type: ProblemTypes.Stale);

    /// <summary>409: another change of the same case was saved first.</summary>
    public static ProblemHttpResult ConcurrentChange() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Gleichzeitige Änderung",
        detail: "Der Fall wurde gerade von anderer Seite geändert; Ihre Änderung wurde nicht gespeichert. Laden Sie ihn neu und versuchen Sie es noch einmal.",
        type: ProblemTypes.ConcurrentChange);

    public static ProblemHttpResult NotFound(string title = "Fall nicht gefunden") =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, type: ProblemTypes.NotFound);
}
