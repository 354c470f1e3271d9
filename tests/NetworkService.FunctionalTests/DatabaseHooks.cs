using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>Records every writing SQL command of the service together with the request that issued it (none for background work).</summary>
public sealed partial class WriteRecorder(IHttpContextAccessor http) : DbCommandInterceptor
{
    private readonly ConcurrentQueue<(string? Request, string Sql)> writes = new();

    /// <summary>The writing commands issued while serving <paramref name="method"/> <paramref name="path"/>.</summary>
    public IReadOnlyList<string> By(string method, string path) =>
        writes.Where(w => w.Request == $"{method} {path}").Select(w => w.Sql).ToList();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    [GeneratedRegex(@"\b(INSERT|UPDATE|DELETE|REPLACE)\b")]
    private static partial Regex Writing();

    private void Record(DbCommand command)
    {
        if (Writing().IsMatch(command.CommandText))
        {
            var request = http.HttpContext?.Request;
            writes.Enqueue((request is null ? null : $"{request.Method} {request.Path}", command.CommandText));
        }
    }
}

/// <summary>
/// Runs an action right before the next save made while serving a given request: stages what a concurrent request
/// would have written between the service's read and its save.
/// </summary>
public sealed class SaveHook(IHttpContextAccessor http) : SaveChangesInterceptor
{
    private readonly Lock gate = new();
    private (string Request, Func<DbContext, Task> Action)? pending;

    public void BeforeNextSave(string method, string path, Func<DbContext, Task> action)
    {
        lock (gate)
        {
            pending = ($"{method} {path}", action);
        }
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var request = http.HttpContext?.Request;
        Func<DbContext, Task>? action = null;
        lock (gate)
        {
            if (request is not null && pending is { } armed && armed.Request == $"{request.Method} {request.Path}")
            {
                action = armed.Action;
                pending = null;
            }
        }

        if (action is not null)
        {
            await action(eventData.Context!);
        }

        return result;
    }
}
