using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// Just enough SMTP to receive mail on 127.0.0.1 (no TLS, no authentication): 220, EHLO/HELO 250, MAIL/RCPT 250,
/// DATA 354 ... '.' 250, QUIT 221. With <see cref="Refuse"/> it answers MAIL FROM with 451 (try again later).
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    public FakeSmtpServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Whether to refuse every message for now (451), as a server that is overloaded or greylists.</summary>
    public bool Refuse { get; set; }

    /// <summary>Every message received, with the recipients of its envelope.</summary>
    public ConcurrentQueue<(IReadOnlyList<string> Recipients, MimeMessage Message)> Received { get; } = new();

    /// <summary>How many MAIL FROM commands were refused.</summary>
    public int Refused => refused;

    private int refused;

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.Latin1);
                await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 localhost Fake SMTP");
                var recipients = new List<string>();
                while (await reader.ReadLineAsync(stopping.Token) is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 localhost");
                            break;
                        case "MAIL":
                            recipients.Clear();
                            if (Refuse)
                            {
                                Interlocked.Increment(ref refused);
                                await writer.WriteLineAsync("451 4.3.0 Try again later");
                            }
                            else
                            {
                                await writer.WriteLineAsync("250 OK");
                            }

                            break;
                        case "RCPT":
                            recipients.Add(line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.LastIndexOf('>')]);
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync(stopping.Token) is { } dataLine && dataLine != ".")
                            {
                                data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                            }

                            using (var message = new MemoryStream(Encoding.Latin1.GetBytes(data.ToString())))
                            {
                                Received.Enqueue(([.. recipients], await MimeMessage.LoadAsync(message)));
                            }

                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RSET":
                        case "NOOP":
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 Command not implemented");
                            break;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the server stops.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
