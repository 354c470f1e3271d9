using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.Submission;

/// <summary>
/// The bearer token for sending to the state: with <see cref="MunicipalityOptions.ClientId"/> set, obtained by the
/// OpenID Connect client-credentials flow from <see cref="MunicipalityOptions.TokenEndpoint"/> and reused until a minute
/// before it expires; otherwise the configured <see cref="MunicipalityOptions.StateToken"/>.
/// </summary>
public sealed class StateAccessToken(IHttpClientFactory clients, IOptions<MunicipalityOptions> options, TimeProvider clock)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset Until)? cached;

    public bool IsConfigured => (options.Value.ClientId is { Length: > 0 } && options.Value.TokenEndpoint is { Length: > 0 }) || options.Value.StateToken is { Length: > 0 };

    public async Task<string?> GetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ClientId))
        {
            return settings.StateToken;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } token && token.Until > clock.GetUtcNow())
            {
                return token.Token;
            }

            if (string.IsNullOrWhiteSpace(settings.TokenEndpoint))
            {
                return null;
            }

            Granted? granted;
            try
            {
                using var response = await clients.CreateClient(SubmissionApi.StateClient).PostAsync(new Uri(settings.TokenEndpoint), new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = settings.ClientId,
                    ["client_secret"] = settings.ClientSecret ?? "",
                    ["scope"] = "kim",
                }), cancellationToken);
                granted = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<Granted>(cancellationToken) : null;
            }
            catch (HttpRequestException)
            {
                // The provider does not answer: the caller reports that sending is not possible now.
                return null;
            }

            if (granted?.AccessToken is not { Length: > 0 } accessToken)
            {
                return null;
            }

            cached = (accessToken, clock.GetUtcNow().AddSeconds(Math.Max(0, granted.ExpiresIn - 60)));
            return accessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed record Granted([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
