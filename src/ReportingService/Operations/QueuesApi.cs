using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kim.ReportingService.Operations;

/// <summary>One queue of the platform's virtual host; error queues (<c>*_error</c>) hold messages that kept failing.</summary>
public sealed record QueueDepth(string Name, long Messages, int Consumers, bool IsErrorQueue);

/// <summary>Every queue of the virtual host, and the error queues that hold messages first.</summary>
public sealed record QueuesResponse(IReadOnlyList<QueueDepth> ErrorQueues, IReadOnlyList<QueueDepth> Queues, long ErrorMessages);

/// <summary>
/// Broker monitoring for operators: queue and error-queue depth from the RabbitMQ management API
/// (<c>RabbitMq:ManagementUri</c>) for the virtual host of <c>ConnectionStrings:messaging</c>.
/// </summary>
public static class QueuesApi
{
    public const string ErrorQueueSuffix = "_error";

    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder reports)
    {
        reports.MapGet("/operations/queues", GetQueuesAsync)
            .RequireAuthorization(policy => policy.RequireRole(KimRoles.Operator, KimRoles.Coordinator))
            .WithName("GetQueueDepths")
            .WithSummary("Queue and error-queue depth of the platform's broker");
        return reports;
    }

    private static async Task<Results<Ok<QueuesResponse>, ProblemHttpResult>> GetQueuesAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var management = configuration["RabbitMq:ManagementUri"];
        var messaging = configuration.GetConnectionString(ResourceNames.Messaging);
        if (string.IsNullOrWhiteSpace(management) || string.IsNullOrWhiteSpace(messaging))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Broker-Überwachung nicht eingerichtet", detail: "RabbitMq:ManagementUri ist nicht konfiguriert.");
        }

        var virtualHost = Uri.UnescapeDataString(new Uri(messaging).AbsolutePath.TrimStart('/'));
        using var client = new RabbitMqManagementClient(new Uri(management));
        IReadOnlyList<QueueInfo> queues;
        try
        {
            queues = await client.QueuesAsync(virtualHost.Length == 0 ? "/" : virtualHost, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Broker nicht erreichbar", detail: exception.Message);
        }

        var depths = queues
            .Select(q => new QueueDepth(q.Name, q.Messages, q.Consumers, q.Name.EndsWith(ErrorQueueSuffix, StringComparison.Ordinal)))
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .ToList();
        var errors = depths.Where(q => q.IsErrorQueue).OrderByDescending(q => q.Messages).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new QueuesResponse(errors, depths, errors.Sum(q => q.Messages)));
    }
}
