using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kim.BusBench;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// Broker throughput on one RabbitMQ node, in one run: (a) raw RabbitMQ.Client publish-and-consume with publisher
// confirms, a durable queue and persistent messages; (b) MassTransit publish-and-consume as the platform configures
// it (AddKimMessaging); (a) and (b) interleave, medians are printed. (c) The outbox dispatcher's drain rate: rows of a
// SQLite outbox table published with confirms and marked sent, against (b).
// Usage: BusBench <amqp uri> [messages per round=20000] [in flight=100] [outbox rows per round=5000] [rounds=3]
var uri = new Uri(args.ElementAtOrDefault(0) ?? Environment.GetEnvironmentVariable("ConnectionStrings__messaging")
    ?? throw new InvalidOperationException("usage: BusBench <amqp uri> [messages] [in flight] [outbox rows] [rounds]"));
var messages = Argument(1, 20_000);
var inFlight = Argument(2, 100);
var outboxRows = Argument(3, 5_000);
var rounds = Argument(4, 3);

var database = Path.Combine(Path.GetTempPath(), $"busbench-{Environment.ProcessId}.db");
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration["ConnectionStrings:messaging"] = uri.ToString();
// The dispatcher is driven by the benchmark below; the hosted one sweeps once at start and then only polls hourly.
builder.Configuration["Messaging:Outbox:PollInterval"] = "01:00:00";
builder.Services.AddDbContext<BenchDbContext>(db => db.UseSqlite($"Data Source={database}").AddInterceptors(new SqliteConnectionSetup()));
builder.Services.AddSingleton<Received>();
builder.AddKimMessaging<BenchDbContext>("busbench", bus => bus.AddConsumer<CaseOpenedCounter>());
using var host = builder.Build();
await using (var scope = host.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
    await db.Database.EnsureDeletedAsync();
    await db.Database.EnsureCreatedAsync();
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
}

await host.StartAsync();
var bus = host.Services.GetRequiredService<IBusControl>();
await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
var received = host.Services.GetRequiredService<Received>();
var dispatcher = host.Services.GetRequiredService<OutboxDispatcher<BenchDbContext>>();
Console.WriteLine($"broker {uri.Host}:{uri.Port}, {messages} messages per round, {inFlight} in flight, {outboxRows} outbox rows per round, {rounds} rounds");

// Warm-up: connections, channels, exchanges, JIT.
await RawAsync(uri, 10_000, inFlight);
await MassTransitAsync(bus, received, 10_000, inFlight);
await OutboxAsync(host.Services, dispatcher, received, 500);

var raw = new List<double>();
var masstransit = new List<double>();
var outbox = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    raw.Add(await RawAsync(uri, messages, inFlight));
    masstransit.Add(await MassTransitAsync(bus, received, messages, inFlight));
    outbox.Add(await OutboxAsync(host.Services, dispatcher, received, outboxRows));
    Console.WriteLine(FormattableString.Invariant(
        $"round {round}: raw RabbitMQ.Client {raw[^1]:F0} msg/s, MassTransit {masstransit[^1]:F0} msg/s, outbox drain {outbox[^1]:F0} rows/s"));
}

await host.StopAsync();
SqliteConnectionCleanup();
var rawMedian = Median(raw);
var masstransitMedian = Median(masstransit);
var outboxMedian = Median(outbox);
Target("bus-masstransit-vs-raw", masstransitMedian, "msg/s", "raw-rabbitmq-client", rawMedian, "msg/s", 0.8);
Target("outbox-drain-vs-masstransit", outboxMedian, "rows/s", "masstransit-publish-consume", masstransitMedian, "msg/s", 0.8);
return 0;

int Argument(int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

void SqliteConnectionCleanup()
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var file in new[] { database, database + "-wal", database + "-shm" })
    {
        File.Delete(file);
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Target(string name, double measured, string unit, string baselineName, double baseline, string baselineUnit, double target)
{
    var ratio = measured / baseline;
    Console.WriteLine(FormattableString.Invariant(
        $"TARGET {name} | measured {measured:F0} {unit} | baseline {baselineName} {baseline:F0} {baselineUnit} | ratio {ratio:F2} | target >= {target:F1}x | {(ratio >= target ? "met" : "not met")}"));
}

static CaseOpened NewCase(int i) => new()
{
    TenantId = "bench",
    CaseKey = $"case-{i}",
    AgeBand = "30-39",
    ResidenceCategory = "Unknown",
    AccessRoute = "Unknown",
    OccurredAt = DateTime.UtcNow,
};

// (a) One connection, a consuming channel (prefetch = in flight, one ack per message) and a publishing channel with
// confirms tracked by the client (as MassTransit creates its channels): every publish awaits its own confirm, at most
// `inFlight` at once, mandatory and persistent to a durable queue.
static async Task<double> RawAsync(Uri uri, int messages, int inFlight)
{
    var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "busbench-raw" };
    await using var connection = await factory.CreateConnectionAsync();
    await using var consume = await connection.CreateChannelAsync();
    const string Queue = "busbench-raw";
    await consume.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
    await consume.QueuePurgeAsync(Queue);
    await consume.BasicQosAsync(0, (ushort)inFlight, false);
    var count = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var consumer = new AsyncEventingBasicConsumer(consume);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        // Read as a consumer would, so both sides deserialise.
        if (JsonSerializer.Deserialize<CaseOpened>(delivery.Body.Span) is null)
        {
            throw new InvalidOperationException("empty message");
        }

        await consume.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (Interlocked.Increment(ref count) == messages)
        {
            done.TrySetResult();
        }
    };
    var tag = await consume.BasicConsumeAsync(Queue, autoAck: false, consumer);
    await using var publish = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, null, null));

    var watch = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(inFlight);
    var publishes = new List<Task>(messages);
    for (var i = 0; i < messages; i++)
    {
        await gate.WaitAsync();
        publishes.Add(PublishOne(i));
    }

    await Task.WhenAll(publishes);
    await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    var rate = messages / watch.Elapsed.TotalSeconds;
    await consume.BasicCancelAsync(tag);
    return rate;

    async Task PublishOne(int i)
    {
        try
        {
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json", MessageId = Guid.NewGuid().ToString() };
            await publish.BasicPublishAsync("", Queue, mandatory: true, properties, JsonSerializer.SerializeToUtf8Bytes(NewCase(i)));
        }
        finally
        {
            gate.Release();
        }
    }
}

// (b) The platform's bus: publish with the mandatory flag (as the outbox does), each awaiting its confirm, at most
// `inFlight` at once; consumed by a MassTransit consumer on its durable queue.
static async Task<double> MassTransitAsync(IBus bus, Received received, int messages, int inFlight)
{
    var all = received.Expect(messages);
    var watch = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(inFlight);
    var publishes = new List<Task>(messages);
    for (var i = 0; i < messages; i++)
    {
        await gate.WaitAsync();
        publishes.Add(PublishOne(i));
    }

    await Task.WhenAll(publishes);
    await all.WaitAsync(TimeSpan.FromMinutes(5));
    return messages / watch.Elapsed.TotalSeconds;

    async Task PublishOne(int i)
    {
        try
        {
            await bus.Publish(NewCase(i), context =>
            {
                context.Durable = true;
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            });
        }
        finally
        {
            gate.Release();
        }
    }
}

// (c) Rows written into the outbox table (no commit signal), then the dispatcher's sweeps until none is due: rows
// confirmed by the broker and marked sent per second.
static async Task<double> OutboxAsync(IServiceProvider services, OutboxDispatcher<BenchDbContext> dispatcher, Received received, int rows)
{
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        var now = DateTime.UtcNow;
        for (var i = 0; i < rows; i++)
        {
            db.AddIntegrationEvent(NewCase(i), now.AddTicks(i));
            if ((i + 1) % 1_000 == 0 || i == rows - 1)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
    }

    var delivered = received.Expect(rows);
    var watch = Stopwatch.StartNew();
    while (await dispatcher.DispatchBatchAsync(CancellationToken.None) > 0)
    {
    }

    var elapsed = watch.Elapsed;
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        var unsent = await db.OutboxMessages.CountAsync(m => m.SentAt == null);
        if (unsent > 0)
        {
            Console.WriteLine($"outbox: {unsent} rows not sent after the sweeps (publish failures)");
        }

        await db.OutboxMessages.ExecuteDeleteAsync();
    }

    await delivered.WaitAsync(TimeSpan.FromMinutes(5));
    return rows / elapsed.TotalSeconds;
}
