using System.Text;
using System.Threading.Channels;
using Kim.NetworkService.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Kim.NetworkService.Notifications;

/// <summary>Wakes the dispatcher when notifications were queued, so they go out without waiting for the next poll.</summary>
public sealed class NotificationSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => channel.Writer.TryWrite(true);

    /// <summary>Waits until woken or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}

/// <summary>
/// Sends the queued notifications (the outbox in <see cref="Notification"/>), oldest first: a failed attempt is retried
/// with a growing delay up to <see cref="NotificationOptions.MaxAttempts"/>. A message is marked sent right after it went
/// out, so a crash in between sends it once more rather than never (at least once). Logs name notification ids and
/// counts, never addresses or content.
/// </summary>
internal sealed class NotificationDispatcher(
    IServiceScopeFactory scopes, TimeProvider clock, IOptionsMonitor<NotificationOptions> options, NotificationSignal signal, ILogger<NotificationDispatcher> logger)
    : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(6);
    private bool warnedNoTransport;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch: there may be more due right away.
                if (await DispatchAsync(stoppingToken) < BatchSize)
                {
                    await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning("Dispatching notifications failed ({ErrorCode}); retrying at the next poll", MailTransports.ErrorCode(exception));
                await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Sends what is due; returns how many notifications were due.</summary>
    internal async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Notifications.Where(n => n.SentAt == null && n.NextAttemptAt != null && n.NextAttemptAt <= now)
            .OrderBy(n => n.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        await using var transport = MailTransports.From(settings);
        if (transport is null)
        {
            if (!warnedNoTransport)
            {
                warnedNoTransport = true;
                logger.LogWarning(
                    "No mail transport is configured (Notifications:Smtp:Host or Notifications:PickupDirectory); {Count} notifications stay queued", due.Count);
            }

            return 0;
        }

        warnedNoTransport = false;
        var from = MailboxAddress.Parse(settings.From);
        int sent = 0, failed = 0;
        foreach (var notification in due)
        {
            notification.Attempts++;
            var stop = false;
            try
            {
                await transport.SendAsync(Message(notification, from), cancellationToken);
                notification.SentAt = clock.GetUtcNow().UtcDateTime;
                notification.NextAttemptAt = null;
                notification.LastError = null;
                sent++;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                notification.LastError = MailTransports.ErrorCode(exception);
                notification.NextAttemptAt = notification.Attempts >= settings.MaxAttempts ? null : now + Delay(settings.RetryDelay, notification.Attempts);
                if (notification.NextAttemptAt is null)
                {
                    logger.LogError("Notification {NotificationId} given up after {Attempts} attempts ({ErrorCode})",
                        notification.Id, notification.Attempts, notification.LastError);
                }
                else
                {
                    logger.LogWarning("Notification {NotificationId} not sent, attempt {Attempts} of {MaxAttempts} ({ErrorCode})",
                        notification.Id, notification.Attempts, settings.MaxAttempts, notification.LastError);
                }

                // A refused message does not keep the next one back; a transport that fails does: it is tried again later.
                stop = !MailTransports.ConcernsMessageOnly(exception);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            if (stop)
            {
                break;
            }
        }

        logger.LogInformation("Notifications dispatched: {Sent} sent, {Failed} failed, {Due} were due", sent, failed, due.Count);
        return due.Count;
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: the retry delay, doubled each time, at most six hours.</summary>
    internal static TimeSpan Delay(TimeSpan retryDelay, int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, retryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));

    private static MimeMessage Message(Notification notification, MailboxAddress from)
    {
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        body.SetText(Encoding.UTF8, notification.Body);
        var message = new MimeMessage
        {
            Subject = notification.Subject,
            Date = new DateTimeOffset(DateTime.SpecifyKind(notification.CreatedAt, DateTimeKind.Utc)),

            // The same for every attempt, so a message delivered twice (crash after sending) can be recognised.
            MessageId = $"notification-{notification.Id}.{notification.CreatedAt:yyyyMMddHHmmss}@{(from.Domain.Length > 0 ? from.Domain : "kim")}",
            Body = body,
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(notification.Recipient));
        return message;
    }
}
