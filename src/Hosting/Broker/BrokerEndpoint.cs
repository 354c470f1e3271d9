namespace Kim.Hosting.Broker;

/// <summary>Where the platform's broker answers: an amqp URI for the services and the management API for provisioning.</summary>
public sealed record BrokerEndpoint(Uri AmqpUri, Uri ManagementUri, string Origin)
{
    /// <summary>The amqp URI of <paramref name="virtualHost"/> with the same credentials.</summary>
    public Uri ForVirtualHost(string virtualHost, string? user = null, string? password = null)
    {
        var builder = new UriBuilder(AmqpUri) { Path = "/" + Uri.EscapeDataString(virtualHost) };
        if (user is not null)
        {
            builder.UserName = Uri.EscapeDataString(user);
            builder.Password = Uri.EscapeDataString(password ?? "");
        }

        return builder.Uri;
    }

    /// <summary>An HTTP client for the management API (base address without credentials, which go into a Basic header).</summary>
    public HttpClient ManagementHttpClient()
    {
        var http = new HttpClient { BaseAddress = new Uri(ManagementUri.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(10) };
        var credentials = Uri.UnescapeDataString(ManagementUri.UserInfo);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        return http;
    }
}

/// <summary>No broker could be found or started; the message says what was tried.</summary>
public sealed class BrokerUnavailableException(string message) : Exception(message);
