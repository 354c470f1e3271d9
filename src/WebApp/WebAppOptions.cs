namespace Kim.WebApp;

/// <summary>The web front end's settings (section <c>WebApp</c>).</summary>
public sealed class WebAppOptions
{
    public const string SectionName = "WebApp";

    /// <summary>
    /// Where people reach the application: the gateway's public address (e.g. <c>http://127.0.0.1:8080/</c>). Redirects
    /// to and from the provider use it, so no forwarded header from the network decides where a sign-in returns to.
    /// </summary>
    public required Uri PublicAddress { get; set; }

    /// <summary>The OpenID Connect authority (issuer), e.g. the platform's provider at <c>/identity/</c>.</summary>
    public required string Authority { get; set; }

    /// <summary>Where the provider's discovery document is read from inside the platform (default: from the authority).</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public string ClientId { get; set; } = "webapp";

    public required string ClientSecret { get; set; }

    /// <summary>The gateway the APIs are called through (default: the service named <c>gateway</c>).</summary>
    public Uri Gateway { get; set; } = new("http://gateway");

    /// <summary>Where the data-protection keys are kept (they protect the session cookie and the form tokens).</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A signed-in session ends after this much inactivity.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
