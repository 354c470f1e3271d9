using Kim.NetworkService.Infrastructure;
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
        var resolutions = scope.ServiceProvider.GetRequiredService<ResolutionService>();
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = await db.Motions.Where(m => m.Status == MotionStatus.CircularBallot && m.CircularDeadline <= now).ToListAsync(cancellationToken);
        foreach (var motion in expired)
        {
            if (await resolutions.SettleCircularAsync(motion, now, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Circular ballot {MotionId} closed at its deadline: {Result}", motion.Id, motion.CircularResult);
            }
        }
    }
}
