using System.Collections.Concurrent;
using System.Net;

namespace Kim.EndToEnd.Tests;

/// <summary>A received span: the exporting service, the trace it belongs to, and its name.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string Name);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) trace receiver on loopback, so the test sees exactly what the services export.
/// It decodes only the fields it needs from <c>ExportTraceServiceRequest</c>: resource <c>service.name</c>,
/// span <c>trace_id</c> and <c>name</c>.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private readonly Task loop;

    public OtlpTraceReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Endpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => spans.ToArray();

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (var span in Decode(body.ToArray()))
                {
                    spans.Enqueue(span);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            var service = "";
            var fields = Fields(resourceSpans.Bytes).ToList();
            foreach (var resource in fields.Where(f => f.Number == 1))
            {
                foreach (var attribute in Fields(resource.Bytes).Where(f => f.Number == 1))
                {
                    var kv = Fields(attribute.Bytes).ToList();
                    var key = kv.FirstOrDefault(f => f.Number == 1)?.Text;
                    var value = kv.FirstOrDefault(f => f.Number == 2);
                    if (key == "service.name" && value is not null)
                    {
                        service = Fields(value.Bytes).FirstOrDefault(f => f.Number == 1)?.Text ?? "";
                    }
                }
            }

            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var spanFields = Fields(span.Bytes).ToList();
                    var traceId = Convert.ToHexStringLower(spanFields.First(f => f.Number == 1).Bytes);
                    var name = spanFields.FirstOrDefault(f => f.Number == 5)?.Text ?? "";
                    yield return new ReceivedSpan(service, traceId, name);
                }
            }
        }
    }

    private sealed record Field(int Number, byte[] Bytes)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>Reads the length-delimited fields of one protobuf message and skips the others.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type in tag {tag}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
