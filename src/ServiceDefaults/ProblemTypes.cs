namespace Kim.ServiceDefaults;

/// <summary>Stable <c>type</c> URIs of the problem-details responses (RFC 9457), one per error kind.</summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:kim:problem:";

    public const string Validation = Prefix + "validation";
    public const string MalformedRequest = Prefix + "malformed-request";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "conflict";
    public const string ConcurrentChange = Prefix + "concurrent-change";
    public const string Stale = Prefix + "stale";
    public const string UnknownTenant = Prefix + "unknown-tenant";
    public const string TenantMismatch = Prefix + "tenant-mismatch";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string TooManyRequests = Prefix + "too-many-requests";
}
