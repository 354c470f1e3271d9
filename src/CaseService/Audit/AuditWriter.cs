using System.Collections.Concurrent;
using Kim.CaseService.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Audit;

/// <summary>Section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Reads waiting at the same moment share one transaction for their audit entries (true, the default); false
    /// writes each read's entries in a transaction of its own (kept to measure what the group commit saves).
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>At most this many entries in one transaction; the rest go into the next.</summary>
    public int MaxBatch { get; set; } = 2000;
}

/// <summary>
/// Appends the audit entries of reads with group commit: a read queues its entries and waits until the transaction
/// holding them has committed; only then may it answer. One writer at a time (whoever holds the gate) takes every
/// entry waiting, links them onto the chain's end and commits them in one transaction, then releases all their
/// readers at once. When that transaction fails, every read in it fails (<see cref="AuditUnavailableException"/>,
/// a 503 without data): no answer leaves without its entry committed. Changes keep writing their entry in the
/// change's own transaction (<see cref="CaseDbContext"/>); both append through the same linking, and the unique
/// sequence keeps the chain from forking (docs/security.md, "Audit log").
/// </summary>
public sealed class AuditWriter(IServiceScopeFactory scopes, IOptions<AuditOptions> options, ILogger<AuditWriter> logger)
{
    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Reads whose entries wait for the next transaction.</summary>
    public int Waiting => queue.Count;

    /// <summary>
    /// Returns once <paramref name="entries"/> are committed to the chain; throws <see cref="AuditUnavailableException"/>
    /// when they could not be. <paramref name="requestDb"/> writes them itself when group commit is off.
    /// </summary>
    public async Task AppendAsync(CaseDbContext requestDb, IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        if (!options.Value.GroupCommit)
        {
            try
            {
                foreach (var entry in entries)
                {
                    requestDb.Audit(entry);
                }

                await requestDb.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new AuditUnavailableException(exception);
            }
        }

        var pending = new Pending(entries);
        queue.Enqueue(pending);

        // Not cancellable: the entry is written either way, by this request or the next writer; a read that gave up
        // waiting was audited without an answer, never answered without an entry.
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            // A batch stops at MaxBatch and may leave this read's own entries queued behind others: write until they are in.
            while (!pending.Committed.Task.IsCompleted)
            {
                await WriteWaitingAsync();
            }
        }
        finally
        {
            gate.Release();
        }

        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Takes what waits (at least the caller's own entries, queued before it held the gate) and commits it in one transaction.</summary>
    private async Task WriteWaitingAsync()
    {
        var batch = new List<Pending>();
        var count = 0;
        while (count < options.Value.MaxBatch && queue.TryDequeue(out var next))
        {
            batch.Add(next);
            count += next.Entries.Count;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
            foreach (var entry in batch.SelectMany(p => p.Entries))
            {
                db.Audit(entry);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "{Count} audit entries of {Reads} reads could not be written; the reads are refused", count, batch.Count);
            foreach (var waiting in batch)
            {
                waiting.Committed.TrySetException(new AuditUnavailableException(exception));
            }

            return;
        }

        foreach (var waiting in batch)
        {
            waiting.Committed.TrySetResult();
        }
    }

    private sealed record Pending(IReadOnlyCollection<AuditEntry> Entries)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A read's audit entry could not be committed, so the read is not answered.</summary>
public sealed class AuditUnavailableException(Exception inner)
    : Exception("The audit entry of a read could not be written; the read is refused.", inner);

/// <summary>Answers a read whose audit entry could not be written with 503 and no data: try again later.</summary>
internal sealed class AuditUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const string ProblemType = "urn:kim:problem:audit-unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not AuditUnavailableException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ProblemType,
                Title = "Protokollierung nicht möglich",
                Detail = "Der Zugriff konnte nicht im Protokoll vermerkt werden. Ohne Protokolleintrag werden keine Daten herausgegeben; versuchen Sie es in einigen Sekunden noch einmal.",
            },
        });
    }
}
