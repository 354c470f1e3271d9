namespace Kim.ServiceDefaults;

/// <summary>
/// Resource names shared by AppHost, the gateway and the services. They name configuration keys in
/// Aspire's conventions: <c>ConnectionStrings__{name}</c> and <c>services__{name}__http__0</c>.
/// </summary>
public static class ResourceNames
{
    /// <summary>The RabbitMQ broker (connection string <c>ConnectionStrings__messaging</c>, an amqp URI).</summary>
    public const string Messaging = "messaging";

    /// <summary>The public entry point.</summary>
    public const string Gateway = "gateway";

    /// <summary>The network-governance service.</summary>
    public const string NetworkService = "networkservice";

    /// <summary>The reporting service.</summary>
    public const string ReportingService = "reportingservice";

    /// <summary>The reporting service in state mode (ministry), when the platform runs one.</summary>
    public const string StateReportingService = "statereportingservice";

    /// <summary>The OpenID Connect provider (served by the gateway under <c>/identity</c>).</summary>
    public const string Identity = "identity";

    /// <summary>The web front end (served by the gateway at <c>/</c>).</summary>
    public const string WebApp = "webapp";

    /// <summary>The CaseService instance of one tenant.</summary>
    public static string CaseService(string tenant) => $"caseservice-{tenant}";
}
