using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Kim.NetworkService.Notifications;

/// <summary>Delivers messages for one dispatch round; disposing it closes any connection.</summary>
internal interface IMailTransport : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

internal static class MailTransports
{
    /// <summary>SMTP when a host is configured, else the pickup directory when one is, else none (notifications wait).</summary>
    public static IMailTransport? From(NotificationOptions options) =>
        !string.IsNullOrWhiteSpace(options.Smtp.Host) ? new SmtpMailTransport(options.Smtp)
        : !string.IsNullOrWhiteSpace(options.PickupDirectory) ? new PickupDirectoryTransport(options.PickupDirectory)
        : null;

    /// <summary>Why sending failed, as a code that names neither recipient nor content (exception messages may quote addresses).</summary>
    public static string ErrorCode(Exception exception) => exception switch
    {
        SmtpCommandException command => $"smtp-{(int)command.StatusCode}",
        ParseException => "address-invalid",
        SmtpProtocolException => "smtp-protocol",
        AuthenticationException => "smtp-authentication",
        SslHandshakeException => "smtp-tls",
        NotSupportedException => "smtp-not-supported",
        SocketException socket => $"socket-{socket.SocketErrorCode}",
        IOException => "io",
        UnauthorizedAccessException => "io-access",
        OperationCanceledException => "timeout",
        _ => exception.GetType().Name,
    };

    /// <summary>Whether the failure concerns only this message (the server refused it), so the next one may still go out.</summary>
    public static bool ConcernsMessageOnly(Exception exception) =>
        exception is SmtpCommandException { ErrorCode: not SmtpErrorCode.UnexpectedStatusCode } or ParseException;
}

/// <summary>Sends by SMTP, over one connection per dispatch round (STARTTLS when configured, authentication when a user is).</summary>
internal sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport
{
    private SmtpClient? client;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (client is not { IsConnected: true })
        {
            client?.Dispose();
            client = new SmtpClient { Timeout = 30_000 };
            await client.ConnectAsync(options.Host, options.Port, options.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(options.User))
            {
                await client.AuthenticateAsync(options.User, options.Password, cancellationToken);
            }
        }

        await client.SendAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true);
            }
        }
        catch (Exception exception) when (exception is IOException or SmtpProtocolException or SmtpCommandException or SocketException)
        {
            // The messages are sent; a connection that fails to close politely changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }
}

/// <summary>Writes each message as an .eml file into a folder (development: nothing leaves the machine).</summary>
internal sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);

        // Written under a temporary name first, so a reader never sees half a message.
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.CreateVersion7():N}";
        var partial = Path.Combine(directory, name + ".tmp");
        await using (var stream = File.Create(partial))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, Path.Combine(directory, name + ".eml"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
