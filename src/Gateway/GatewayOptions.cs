namespace Kim.Gateway;

/// <summary>Limits and browser-facing policy of the gateway (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Requests one user may send per window; a flood by one user does not take their tenant's share.</summary>
    public int PermitsPerUser { get; set; } = 300;

    /// <summary>Requests all users of one tenant may send per window; a flood from one tenant does not starve the others.</summary>
    public int PermitsPerTenant { get; set; } = 3000;

    /// <summary>Requests per client address without a valid token (health, OpenAPI, refused calls).</summary>
    public int PermitsPerAnonymousClient { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest request body; larger ones are refused with 413 before they reach a service.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of a document upload (the file, up to the CaseService's <c>Documents:MaxBytes</c>, and its form).</summary>
    public long MaxDocumentRequestBytes { get; set; } = 11 * 1024 * 1024;

    /// <summary>Largest total size of the request headers.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Origins allowed to call the API from a browser; empty means no cross-origin access.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// How long the reporting services may go without sending a byte before the gateway gives up with 504 (the
    /// forwarder's activity timeout; every other service keeps its default of 100 s). Reports over many years of events
    /// can take longer than that before their first byte.
    /// </summary>
    public TimeSpan ReportTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The coordinating office's tenant: its coordinators may call other tenants' <c>/supervision/</c> routes.</summary>
    public string CoordinatingTenant { get; set; } = "";
}
