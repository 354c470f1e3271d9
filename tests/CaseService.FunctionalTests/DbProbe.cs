using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// Watches a host's database commands: counts the queries of requests that carry <see cref="Header"/>, records which
/// transaction wrote how many audit entries, and can hold or fail the audit log's inserts.
/// </summary>
public sealed class DbProbe(IHttpContextAccessor http) : DbCommandInterceptor
{
    public const string Header = "X-Db-Probe";

    private const string AuditInsert = "INSERT INTO \"AuditEntries\"";

    private readonly ConcurrentDictionary<string, int> queries = new();
    private readonly ConcurrentQueue<(DbTransaction? Transaction, int Entries)> auditInserts = new();
    private volatile TaskCompletionSource? release;
    private volatile TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every insert into the audit log fails while set.</summary>
    public bool FailAudit { get; set; }

    /// <summary>The commands of requests sent with <see cref="Header"/> <paramref name="probe"/>, without the audit log's own.</summary>
    public int QueriesOf(string probe) => queries.GetValueOrDefault(probe);

    /// <summary>Per transaction that inserted audit entries since <see cref="ClearAuditInserts"/>: how many, in order.</summary>
    public IReadOnlyList<int> EntriesPerAuditTransaction() =>
        [.. auditInserts.GroupBy(i => i.Transaction).Select(t => t.Sum(i => i.Entries))];

    public void ClearAuditInserts() => auditInserts.Clear();

    /// <summary>Audit inserts wait until <see cref="ReleaseAudit"/>; the task completes once one waits.</summary>
    public Task HoldAudit()
    {
        held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return held.Task;
    }

    public void ReleaseAudit()
    {
        var waiting = release;
        release = null;
        waiting?.TrySetResult();
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ObserveAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ObserveAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await ObserveAsync(command);
        return result;
    }

    private async Task ObserveAsync(DbCommand command)
    {
        var text = command.CommandText;
        var audit = text.Contains("\"AuditEntries\"", StringComparison.Ordinal);
        if (!audit && http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } probe)
        {
            queries.AddOrUpdate(probe, 1, (_, count) => count + 1);
        }

        if (!text.Contains(AuditInsert, StringComparison.Ordinal))
        {
            return;
        }

        if (FailAudit)
        {
            throw new InvalidOperationException("The audit log cannot be written (test).");
        }

        if (release is { } waiting)
        {
            held.TrySetResult();
            await waiting.Task;
        }

        auditInserts.Enqueue((command.Transaction, text.Split(AuditInsert).Length - 1));
    }
}
