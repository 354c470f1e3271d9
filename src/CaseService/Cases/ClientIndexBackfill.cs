using Kim.CaseService.Infrastructure;
using Kim.CaseService.Protection;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

/// <summary>
/// Once at start: gives clients recorded before the blind index and the duplicate check existed their keyed hashes,
/// in batches, so search and duplicate check cover them too. Clients that have them are not touched.
/// </summary>
public sealed class ClientIndexBackfill(IServiceScopeFactory scopes, IdentityProtector protector, ILogger<ClientIndexBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var total = 0;
            int done;
            do
            {
                done = await RunBatchAsync(stoppingToken);
                total += done;
            }
            while (done > 0);

            if (total > 0)
            {
                logger.LogInformation("Indexed {Count} clients for search and duplicate check", total);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Indexing clients for search failed; it is tried again at the next start");
        }
    }

    public async Task<int> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var batch = await db.Clients.Include(c => c.NameTokens)
            .Where(c => c.ProtectedIdentity != null && c.PersonHash == null).Take(500).ToListAsync(cancellationToken);
        foreach (var client in batch)
        {
            ClientRecords.Protect(client, protector.Unprotect(client.Id, client.ProtectedIdentity!), protector);
        }

        await db.SaveChangesAsync(cancellationToken);
        return batch.Count;
    }
}
