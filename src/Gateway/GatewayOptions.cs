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

    /// <summary>The coordinating office's tenant: its coordinators may call other tenants' <c>/supervision/</c> routes.</summary>
    public string CoordinatingTenant { get; set; } = "";
}
