using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.CaseService.Infrastructure;
using Kim.CaseService.Tenancy;
using Kim.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Retention;

/// <summary>Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How long a closed (or not indicated) case keeps its personal data; default three years.</summary>
    public TimeSpan AnonymiseAfter { get; set; } = TimeSpan.FromDays(3 * 365);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>
/// Anonymises clients whose cases all ended longer ago than the retention period: the encrypted identity and the
/// name hashes and the blind index are removed, the free texts of the cases (journal, follow-ups, former values
/// of corrections, reasons in the phase history, referrals and consents) are erased, documents are deleted; categories, dates and the CaseKey stay, so the
/// statistics do not change.
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<RetentionOptions> options, IOptions<TenantOptions> tenant, ILogger<RetentionJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                var anonymised = await RunOnceAsync(stoppingToken);
                if (anonymised > 0)
                {
                    logger.LogInformation("Anonymised {Count} clients after the retention period", anonymised);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Retention run failed; retrying at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; returns how many clients were anonymised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - options.Value.AnonymiseAfter;

        // All of one pass or nothing: the deletes below run at once, the rest with the final save.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Clients
            .Where(client => client.ProtectedIdentity != null)
            .Where(client => db.Cases.Any(c => c.ClientId == client.Id)
                && db.Cases.Where(c => c.ClientId == client.Id).All(c => c.Status != CaseStatus.Open && c.ClosedAt != null && c.ClosedAt < cutoff))
            .Take(200)
            .ToListAsync(cancellationToken);
        foreach (var client in due)
        {
            client.ProtectedIdentity = null;
            client.NameHash = null;
            client.FamilyNameHash = null;
            client.PersonHash = null;
            await db.ClientNameTokens.Where(t => t.ClientId == client.Id).ExecuteDeleteAsync(cancellationToken);
            await db.ClientChanges.Where(c => c.ClientId == client.Id).ForEachAsync(c =>
            {
                c.ProtectedPrevious = null;
                c.Reason = null;
            }, cancellationToken);
            client.Languages = [];
            client.AnonymisedAt = now;
            var caseIds = await db.Cases.Where(c => c.ClientId == client.Id).Select(c => c.Id).ToListAsync(cancellationToken);
            await db.Assessments.Where(a => caseIds.Contains(a.CaseId)).ForEachAsync(a =>
            {
                a.Situation = null;
                a.Resources = null;
                a.Needs = null;
                a.ClientView = null;
            }, cancellationToken);
            await db.Goals.Where(g => caseIds.Contains(g.CaseId)).ForEachAsync(g => g.Description = null, cancellationToken);
            await db.Deliveries.Where(d => caseIds.Contains(d.CaseId)).ForEachAsync(d => d.Note = null, cancellationToken);
            await db.Reviews.Where(r => caseIds.Contains(r.CaseId)).ForEachAsync(r => r.Outcome = null, cancellationToken);
            await db.Journal.Where(j => caseIds.Contains(j.CaseId)).ForEachAsync(j => j.ProtectedText = null, cancellationToken);
            await db.FollowUps.Where(f => caseIds.Contains(f.CaseId)).ForEachAsync(f => f.Title = null, cancellationToken);
            var documentIds = await db.Documents.Where(d => caseIds.Contains(d.CaseId)).Select(d => d.Id).ToListAsync(cancellationToken);
            await db.DocumentContents.Where(c => documentIds.Contains(c.DocumentId)).ExecuteDeleteAsync(cancellationToken);
            await db.Documents.Where(d => caseIds.Contains(d.CaseId)).ForEachAsync(d =>
            {
                d.ProtectedFileName = null;
                d.DeletedAt = now;
            }, cancellationToken);
            await db.Cases.Where(c => caseIds.Contains(c.Id)).ForEachAsync(c =>
            {
                c.NotIndicatedReason = null;
                c.ClosureReason = null;
            }, cancellationToken);
            await db.PhaseChanges.Where(h => caseIds.Contains(h.CaseId)).ForEachAsync(h => h.Reason = null, cancellationToken);
            await db.Referrals.Where(r => caseIds.Contains(r.CaseId)).ForEachAsync(r => r.Reason = null, cancellationToken);
            await db.Consents.Where(c => caseIds.Contains(c.CaseId)).ForEachAsync(c =>
            {
                c.EvidenceReference = null;
                c.WithdrawalReason = null;
            }, cancellationToken);
            db.Audit(AuditEntry.BySystem(tenant.Value.Id, "client.anonymised", "client", client.Id.ToString(), AuditPurposes.Retention, now));
        }

        // Referrals received from other tenants keep the identity only while they are worked on: once ended longer ago
        // than the retention period, the identity and the provider's reason are erased here too.
        var endedReferrals = await db.IncomingReferrals
            .Where(r => (r.ProtectedIdentity != null || r.Reason != null) && r.StatusChangedAt != null && r.StatusChangedAt < cutoff
                && (r.Status == ReferralStatus.Completed || r.Status == ReferralStatus.Rejected || r.Status == ReferralStatus.Cancelled))
            .Take(200)
            .ToListAsync(cancellationToken);
        foreach (var referral in endedReferrals)
        {
            referral.ProtectedIdentity = null;
            referral.Reason = null;
            db.Audit(AuditEntry.BySystem(tenant.Value.Id, "incoming-referral.anonymised", "incoming-referral", referral.Id.ToString(), AuditPurposes.Retention, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }
}
