using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.NetworkService.Steering;

/// <summary>Closes circular ballots whose deadline passed, so results are published even when nobody looks.</summary>
internal sealed class CircularBallotCloser(IServiceScopeFactory scopes, TimeProvider clock, IOptions<NetworkOptions> options, ILogger<CircularBallotCloser> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CircularSweepInterval, stoppingToken);
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Closing expired circular ballots failed; retrying at the next sweep");
            }
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> expired;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
            expired = await db.Motions.Where(m => m.Status == MotionStatus.CircularBallot && m.CircularDeadline <= now)
                .Select(m => m.Id).ToListAsync(cancellationToken);
        }

        // One scope per ballot: a ballot closed concurrently by a request, or one that fails to save, must not affect the others.
        foreach (var id in expired)
        {
            try
            {
                await CloseAsync(id, now, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Closing circular ballot {MotionId} failed; retrying at the next sweep", id);
            }
        }
    }

    private async Task CloseAsync(Guid id, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
        var resolutions = scope.ServiceProvider.GetRequiredService<ResolutionService>();
        var motion = await db.Motions.SingleAsync(m => m.Id == id, cancellationToken);
        if (await resolutions.SettleCircularAsync(motion, now, cancellationToken) && await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            logger.LogInformation("Circular ballot {MotionId} closed at its deadline: {Result}", motion.Id, motion.CircularResult);
        }
    }
}
