using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.CaseService.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kim.FaultTests;

/// <summary>What a fault test found, counted the way the Jepsen RabbitMQ checker counts a queue's history.</summary>
public sealed record DeliveryFigures(int Attempted, int Accepted, int Delivered, int Lost, int AppliedTwice, int Unexpected, int Recovered)
{
    public override string ToString() =>
        $"attempted {Attempted}, accepted {Accepted}, delivered {Delivered}, lost {Lost}, applied twice {AppliedTwice}, unexpected {Unexpected}, recovered {Recovered}";
}

/// <summary>
/// Writes cases through the gateway and checks what ReportingService applied: every accepted case must be stored
/// exactly once in its event store (the inbox and the event row commit together, so a stored row is an application).
/// </summary>
public sealed class DeliveryCheck(FaultPlatform platform, string tenant)
{
    private readonly List<Guid> accepted = [];
    private readonly HashSet<string> before = StoredCaseKeys(platform, tenant).Keys.ToHashSet();
    private int attempted;
    private int failed;

    public int Accepted
    {
        get
        {
            lock (accepted)
            {
                return accepted.Count;
            }
        }
    }

    /// <summary>Writes one case; a refused or failed request counts as attempted, not accepted.</summary>
    public async Task WriteAsync(HttpClient client)
    {
        Interlocked.Increment(ref attempted);
        try
        {
            var response = await client.PostAsJsonAsync($"/api/tenants/{tenant}/cases",
                new { client = new { givenName = "Test", familyName = "Person", birthDate = "1990-01-01" }, confirmDuplicate = true });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                lock (accepted)
                {
                    accepted.Add(id);
                }

                return;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // Unknown outcome: the case may exist; it then shows up as recovered.
        }

        Interlocked.Increment(ref failed);
    }

    /// <summary>Writes cases one after another until <paramref name="stop"/> is cancelled.</summary>
    public async Task StreamAsync(HttpClient client, CancellationToken stop, TimeSpan pause)
    {
        while (!stop.IsCancellationRequested)
        {
            await WriteAsync(client);
            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until every accepted case is applied (or <paramref name="timeout"/> passes), then counts.</summary>
    public async Task<DeliveryFigures> SettleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        DeliveryFigures figures;
        do
        {
            figures = Count();
            if (figures.Lost == 0)
            {
                // Give a late duplicate the chance to show itself before the verdict.
                await Task.Delay(TimeSpan.FromSeconds(2));
                return Count();
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        return figures;
    }

    private DeliveryFigures Count()
    {
        var keys = new CaseKeys(Options.Create(new TenantOptions { Id = tenant, PseudonymKey = platform.PseudonymKey(tenant) }));
        List<string> acceptedKeys;
        lock (accepted)
        {
            acceptedKeys = accepted.Select(keys.For).ToList();
        }

        var stored = StoredCaseKeys(platform, tenant).Where(pair => !before.Contains(pair.Key)).ToDictionary();
        var delivered = acceptedKeys.Count(stored.ContainsKey);
        var lost = acceptedKeys.Count - delivered;
        var twice = stored.Values.Count(count => count > 1);
        var acceptedSet = acceptedKeys.ToHashSet();
        var extra = stored.Keys.Count(key => !acceptedSet.Contains(key));
        var recovered = Math.Min(extra, failed);
        return new DeliveryFigures(attempted, acceptedKeys.Count, delivered, lost, twice, extra - recovered, recovered);
    }

    /// <summary>CaseKey -> number of stored CaseOpened events of the tenant in ReportingService's event store.</summary>
    public static Dictionary<string, int> StoredCaseKeys(FaultPlatform platform, string tenant)
    {
        var file = platform.DatabaseFile("reportingservice", "reportingdb");
        if (!File.Exists(file))
        {
            return [];
        }

        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Payload FROM StoredEvents WHERE EventType = 'CaseOpened' AND TenantId = $tenant";
        command.Parameters.AddWithValue("$tenant", tenant);
        var counts = new Dictionary<string, int>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = JsonDocument.Parse(reader.GetString(0)).RootElement.GetProperty("CaseKey").GetString()!;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1)
        {
            // The table does not exist yet: ReportingService has not migrated its database.
        }

        return counts;
    }
}
