using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Kim.Testing;
using MassTransit;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Kim.FaultTests;

/// <summary>
/// Faults with real processes and a real broker: every accepted write must reach ReportingService exactly once.
/// Each test prints accepted, delivered, lost and applied-twice counts.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultToleranceTests(BrokerNodeFixture broker, ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(75);
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);
    private const string CaseOpenedExchange = "Kim.Contracts.Cases:CaseOpened";

    private static void AssertExactlyOnce(DeliveryFigures figures)
    {
        Assert.True(figures.Accepted > 0, figures.ToString());
        Assert.Equal(0, figures.Lost);
        Assert.Equal(0, figures.AppliedTwice);
        Assert.Equal(0, figures.Unexpected);
    }

    [Fact]
    public async Task Broker_stopped_and_started_during_a_stream_of_writes_loses_nothing()
    {
        var watch = Stopwatch.StartNew();
        var platform = await broker.SharedPlatformAsync();
        var check = new DeliveryCheck(platform, "caritas");
        using var client = platform.GatewayClient("caritas");
        using var stop = new CancellationTokenSource();
        var stream = check.StreamAsync(client, stop.Token, TimeSpan.FromMilliseconds(40));

        await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= 20), "writes before the outage");
        await broker.Node.StopAsync();
        var acceptedAtStop = check.Accepted;
        HttpStatusCode healthDuringOutage, aliveDuringOutage;
        try
        {
            using var health = new HttpClient();
            var caseService = platform.Runner.Url(ResourceNames.CaseService("caritas"));
            await Eventually.TrueAsync(async () => (await health.GetAsync(new Uri(caseService, "health"))).StatusCode != HttpStatusCode.OK,
                "CaseService /health to report the broker as not ready");
            healthDuringOutage = (await health.GetAsync(new Uri(caseService, "health"))).StatusCode;
            aliveDuringOutage = (await health.GetAsync(new Uri(caseService, "alive"))).StatusCode;
            await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= acceptedAtStop + 20), "writes accepted while the broker is down");
        }
        finally
        {
            await broker.Node.StartAgainAsync(TimeSpan.FromSeconds(90));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuringOutage);
        Assert.Equal(HttpStatusCode.OK, aliveDuringOutage);
        var acceptedAtStart = check.Accepted;
        await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= acceptedAtStart + 20), "writes after the broker returned");
        await stop.CancelAsync();
        await stream;

        var figures = await check.SettleAsync(Settle);
        FaultFigures.Report(output, "broker stopped and started", figures, watch.Elapsed);
        Assert.True(acceptedAtStart - acceptedAtStop >= 20, "writes were accepted during the outage");
        AssertExactlyOnce(figures);
    }

    [Fact]
    public async Task ReportingService_killed_mid_stream_converges_to_the_same_counts()
    {
        var watch = Stopwatch.StartNew();
        var platform = await broker.SharedPlatformAsync();
        var check = new DeliveryCheck(platform, "kommune");
        using var client = platform.GatewayClient("kommune");
        var openBefore = await FaultPlatform.OpenCasesAsync(client, "kommune");
        using var stop = new CancellationTokenSource();
        var stream = check.StreamAsync(client, stop.Token, TimeSpan.FromMilliseconds(20));

        await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= 30), "writes before the kill");
        await platform.Runner.KillResourceAsync(ResourceNames.ReportingService);
        await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= 60), "writes while ReportingService is dead");
        await platform.Runner.StartResourceAsync(ResourceNames.ReportingService);
        await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= 90), "writes after the restart");
        await stop.CancelAsync();
        await stream;

        var figures = await check.SettleAsync(Settle);
        FaultFigures.Report(output, "ReportingService killed (SIGKILL) and restarted", figures, watch.Elapsed);
        AssertExactlyOnce(figures);
        Assert.Equal(openBefore + figures.Accepted, await FaultPlatform.OpenCasesAsync(client, "kommune"));
    }

    [Fact]
    public async Task CaseService_killed_between_commit_and_publish_delivers_after_restart()
    {
        var watch = Stopwatch.StartNew();
        var platform = await broker.SharedPlatformAsync();
        var check = new DeliveryCheck(platform, "caritas");
        using var client = platform.GatewayClient("caritas");
        Assert.Equal(0, UnsentOutboxRows(platform));

        // With the broker down the dispatcher cannot publish: the cases are committed, their events are not sent.
        await broker.Node.StopAsync();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                await check.WriteAsync(client);
            }

            Assert.Equal(25, check.Accepted);
            Assert.Equal(25, UnsentOutboxRows(platform));
            await platform.Runner.KillResourceAsync(ResourceNames.CaseService("caritas"));
        }
        finally
        {
            await broker.Node.StartAgainAsync(TimeSpan.FromSeconds(90));
        }

        await platform.Runner.StartResourceAsync(ResourceNames.CaseService("caritas"));
        var figures = await check.SettleAsync(Settle);
        FaultFigures.Report(output, "CaseService killed between commit and publish", figures, watch.Elapsed);
        AssertExactlyOnce(figures);
        Assert.Equal(0, UnsentOutboxRows(platform));
    }

    [Fact]
    public async Task The_same_message_delivered_twice_is_applied_once()
    {
        var watch = Stopwatch.StartNew();
        var platform = await broker.SharedPlatformAsync();
        var check = new DeliveryCheck(platform, "kommune");
        using var client = platform.GatewayClient("kommune");
        var openBefore = await FaultPlatform.OpenCasesAsync(client, "kommune");
        var sentBefore = SentOutboxPayloads(platform, "kommune").Select(p => p.MessageId).ToHashSet();
        for (var i = 0; i < 10; i++)
        {
            await check.WriteAsync(client);
        }

        var first = await check.SettleAsync(Settle);
        Assert.Equal(0, first.Lost);
        var payloads = SentOutboxPayloads(platform, "kommune").Where(p => !sentBefore.Contains(p.MessageId)).ToList();
        Assert.Equal(10, payloads.Count);

        // Re-publish each of these events twice, with its original MessageId, as a redelivery would; a probe queue on the
        // same exchange sees what was really published. Then a marker event of another tenant: once it is stored, the
        // copies before it have been delivered too.
        await using var probe = await AmqpProbe.BindAsync(platform.MessagingUri, CaseOpenedExchange);
        var messages = payloads.Select(p => (p.MessageId, Message: System.Text.Json.JsonSerializer.Deserialize<CaseOpened>(p.Json, WebJson)!)).ToList();
        var marker = messages[0].Message with { TenantId = "caritas", CaseKey = Guid.NewGuid().ToString("N")[..22] };
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(platform.MessagingUri)));
        await bus.StartAsync();
        try
        {
            foreach (var (messageId, message) in messages)
            {
                await bus.Publish(message, context => context.MessageId = messageId);
                await bus.Publish(message, context => context.MessageId = messageId);
            }

            await bus.Publish(marker);
        }
        finally
        {
            await bus.StopAsync();
        }

        var republished = (await probe.DrainAsync())
            .Select(body => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("messageId").GetGuid())
            .ToList();
        Assert.Equal(2 * messages.Count + 1, republished.Count);
        Assert.All(messages, m => Assert.Equal(2, republished.Count(id => id == m.MessageId)));
        await Eventually.TrueAsync(() => Task.FromResult(DeliveryCheck.StoredCaseKeys(platform, "caritas").ContainsKey(marker.CaseKey)), "the marker event stored");

        var figures = await check.SettleAsync(Settle);
        FaultFigures.Report(output, "same message delivered twice more", figures, watch.Elapsed);
        AssertExactlyOnce(figures);
        Assert.Equal(10, figures.Delivered);
        Assert.Equal(openBefore + 10, await FaultPlatform.OpenCasesAsync(client, "kommune"));
    }

    [Fact]
    public async Task Events_published_before_ReportingService_ever_started_arrive_when_it_starts()
    {
        var watch = Stopwatch.StartNew();
        await using var platform = await FaultPlatform.StartAsync(broker.Node, "fresh", ResourceNames.ReportingService);
        var check = new DeliveryCheck(platform, "caritas");
        using var client = platform.GatewayClient("caritas");
        for (var i = 0; i < 20; i++)
        {
            await check.WriteAsync(client);
        }

        // No queue is bound to the event's exchange yet: RabbitMQ would drop the message; the outbox keeps it.
        await Eventually.TrueAsync(() => Task.FromResult(OutboxErrors(platform).Any(e => e.Contains("NO_ROUTE", StringComparison.Ordinal))),
            "a publish refused as unroutable");
        Assert.Equal(20, UnsentOutboxRows(platform));
        await platform.Runner.StartResourceAsync(ResourceNames.ReportingService);

        var figures = await check.SettleAsync(Settle);
        FaultFigures.Report(output, "published before the subscriber ever existed", figures, watch.Elapsed);
        AssertExactlyOnce(figures);
    }

    private static SqliteConnection CaseDatabase(FaultPlatform platform, string tenant)
    {
        var connection = new SqliteConnection($"Data Source={platform.DatabaseFile(ResourceNames.CaseService(tenant), "casedb")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static int UnsentOutboxRows(FaultPlatform platform, string tenant = "caritas") => platform.UnsentOutboxRows(tenant);

    private static List<string> OutboxErrors(FaultPlatform platform)
    {
        using var connection = CaseDatabase(platform, "caritas");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT LastError FROM OutboxMessages WHERE LastError IS NOT NULL";
        using var reader = command.ExecuteReader();
        var errors = new List<string>();
        while (reader.Read())
        {
            errors.Add(reader.GetString(0));
        }

        return errors;
    }

    private static List<(Guid MessageId, string Json)> SentOutboxPayloads(FaultPlatform platform, string tenant)
    {
        using var connection = CaseDatabase(platform, tenant);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Payload FROM OutboxMessages WHERE SentAt IS NOT NULL";
        using var reader = command.ExecuteReader();
        var rows = new List<(Guid, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return rows;
    }
}
