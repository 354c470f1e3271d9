using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kim.Hosting.Broker;

/// <summary>What <see cref="ClassicQueueMigration"/> did: the empty classic queues it deleted, and those it kept because messages wait in them.</summary>
public sealed record ClassicQueueReport(IReadOnlyList<string> Deleted, IReadOnlyList<(string Queue, long Messages)> Kept);

/// <summary>
/// Services declare their durable queues as quorum queues; a development broker whose data come from an older start
/// still holds classic queues of the same names, and declaring a queue of another type fails (<c>PRECONDITION_FAILED</c>).
/// Before the services start, AppHost deletes the empty durable classic queues of its own broker's virtual host, so the
/// services declare them again as quorum queues, and keeps the others (their messages would be lost) for the operator.
/// </summary>
public static class ClassicQueueMigration
{
    public static async Task<ClassicQueueReport> DeleteEmptyClassicQueuesAsync(BrokerEndpoint broker, string virtualHost, CancellationToken cancellationToken)
    {
        using var http = broker.ManagementHttpClient();
        var vhost = Uri.EscapeDataString(virtualHost);
        var queues = await http.GetFromJsonAsync<JsonElement>($"api/queues/{vhost}", cancellationToken);
        var deleted = new List<string>();
        var kept = new List<(string, long)>();
        foreach (var queue in queues.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString()!;
            var classic = !queue.TryGetProperty("type", out var type) || type.GetString() == "classic";
            var temporary = !queue.GetProperty("durable").GetBoolean() || queue.GetProperty("auto_delete").GetBoolean()
                || (queue.TryGetProperty("exclusive", out var exclusive) && exclusive.ValueKind == JsonValueKind.True);
            if (!classic || temporary)
            {
                continue;
            }

            // if-empty makes the broker refuse when a message arrived since the listing.
            using var response = await http.DeleteAsync($"api/queues/{vhost}/{Uri.EscapeDataString(name)}?if-empty=true", cancellationToken);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
            {
                deleted.Add(name);
            }
            else
            {
                kept.Add((name, queue.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : -1));
            }
        }

        return new ClassicQueueReport(deleted, kept);
    }
}
