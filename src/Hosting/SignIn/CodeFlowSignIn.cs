using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Kim.Hosting.SignIn;

/// <summary>The provider's answer at the token endpoint.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>The sign-in did not reach a code: wrong password, lockout, or a second factor still to set up. The message is the page's.</summary>
public sealed class SignInRefusedException(string message) : Exception(message);

/// <summary>
/// The authorization code flow with PKCE as a browser walks it, for the command line and tests: request a code, fill
/// in the sign-in form (and the second factor's, when asked), follow the redirects to the client's redirect address,
/// and exchange the code. Nothing is faked: it is the provider's own pages and endpoints over HTTP.
/// </summary>
public sealed partial class CodeFlowSignIn(Uri issuer, string clientId, string redirectUri) : IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public const string Scopes = "openid profile roles offline_access kim";

    /// <summary>Signs in as <paramref name="userName"/>; <paramref name="secondFactor"/> supplies a TOTP code when the provider asks for one.</summary>
    public async Task<TokenResponse> SignInAsync(string userName, string password, Func<string>? secondFactor = null, CancellationToken cancellationToken = default)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(issuer, "connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = Scopes,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));

        var (location, page) = await FollowAsync(new HttpRequestMessage(HttpMethod.Get, authorize), cancellationToken);
        var (triedPassword, triedCode) = (false, false);
        while (location is null)
        {
            var fields = Form(page.Html);
            var path = page.Url.AbsolutePath;
            if (path.EndsWith("/Account/Login", StringComparison.OrdinalIgnoreCase) && !triedPassword)
            {
                (fields["UserName"], fields["Password"], triedPassword) = (userName, password, true);
            }
            else if (path.EndsWith("/Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase) && secondFactor is not null && !triedCode)
            {
                (fields["Code"], triedCode) = (secondFactor(), true);
            }
            else
            {
                var message = Message(page.Html);
                throw new SignInRefusedException(message.Length > 0 ? message : $"Die Anmeldung verlangt einen weiteren Schritt im Browser ({path}).");
            }

            (location, page) = await FollowAsync(new HttpRequestMessage(HttpMethod.Post, page.Url) { Content = new FormUrlEncodedContent(fields) }, cancellationToken);
        }

        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        if (query["state"] != state || query["code"] is not { } code)
        {
            throw new SignInRefusedException(query["error_description"] ?? query["error"] ?? "Keine Antwort des Anmeldedienstes.");
        }

        return await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }, cancellationToken);
    }

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default) =>
        TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = clientId }, cancellationToken);

    private async Task<TokenResponse> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(issuer, "connect/token"), new FormUrlEncodedContent(form), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SignInRefusedException($"Token endpoint: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken) ?? throw new SignInRefusedException("Empty token response.");
    }

    /// <summary>Follows redirects until one leaves for the client's redirect address (returned) or a page answers (returned with its address).</summary>
    private async Task<(Uri? Location, (Uri Url, string Html) Page)> FollowAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var url = request.RequestUri!;
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.Headers.Location is { } next)
            {
                var target = next.IsAbsoluteUri ? next : new Uri(url, next);
                if (target.ToString().StartsWith(redirectUri, StringComparison.Ordinal))
                {
                    return (target, (url, ""));
                }

                request = new HttpRequestMessage(HttpMethod.Get, target);
                continue;
            }

            return (null, (url, await response.Content.ReadAsStringAsync(cancellationToken)));
        }

        throw new SignInRefusedException("Zu viele Weiterleitungen.");
    }

    /// <summary>The named inputs of the page's form, with their values (hidden fields such as the anti-forgery token).</summary>
    public static Dictionary<string, string> Form(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(html))
        {
            var name = AttributeValue(input.Value, "name");
            if (name is not null)
            {
                fields[name] = WebUtility.HtmlDecode(AttributeValue(input.Value, "value") ?? "");
            }
        }

        return fields;
    }

    /// <summary>The text of the page's alert, if any.</summary>
    public static string Message(string html) =>
        AlertBlock().Match(html) is { Success: true } alert ? WebUtility.HtmlDecode(Tags().Replace(alert.Groups[1].Value, " ")).Trim() : "";

    private static string? AttributeValue(string tag, string attribute) =>
        Regex.Match(tag, $@"\s{attribute}=""([^""]*)""") is { Success: true } match ? match.Groups[1].Value : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("<div class=\"alert\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex AlertBlock();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    public void Dispose() => http.Dispose();
}
