using System.Net;
using Kim.Hosting;
using Kim.Hosting.SignIn;
using Kim.ServiceDefaults.Security;
using OtpNet;

namespace Kim.Identity.FunctionalTests;

/// <summary>Roles that require a second factor set it up at their first sign-in, and need it ever after.</summary>
[Collection(IdentityCollection.Name)]
public sealed class SecondFactorTests(IdentityFixture identity)
{
    public static string Totp(string key) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp(DateTime.UtcNow);

    /// <summary>A browser-like client: cookies kept, redirects followed one by one.</summary>
    private static HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

    private static async Task<(Uri Url, string Html, Uri? Location)> FollowAsync(HttpClient browser, HttpRequestMessage request)
    {
        while (true)
        {
            var url = request.RequestUri!;
            using var response = await browser.SendAsync(request);
            if (response.Headers.Location is { } next)
            {
                var target = next.IsAbsoluteUri ? next : new Uri(url, next);
                if (target.ToString().StartsWith(CliClient.RedirectUri, StringComparison.Ordinal))
                {
                    return (url, "", target);
                }

                request = new HttpRequestMessage(HttpMethod.Get, target);
                continue;
            }

            return (url, await response.Content.ReadAsStringAsync(), null);
        }
    }

    private static HttpRequestMessage Post(Uri url, Dictionary<string, string> fields) => new(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };

    private Uri Authorize() => new(identity.Issuer,
        $"connect/authorize?client_id={CliClient.Id}&redirect_uri={Uri.EscapeDataString(CliClient.RedirectUri)}&response_type=code&scope=openid%20kim&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=abc");

    /// <summary>Signs in as a person who must set up the second factor, sets it up, and returns the authenticator key.</summary>
    public static async Task<string> EnrollAsync(IdentityFixture identity, string userName, string password)
    {
        using var browser = Browser();
        var authorize = new Uri(identity.Issuer,
            $"connect/authorize?client_id={CliClient.Id}&redirect_uri={Uri.EscapeDataString(CliClient.RedirectUri)}&response_type=code&scope=openid%20kim&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=abc");
        var login = await FollowAsync(browser, new HttpRequestMessage(HttpMethod.Get, authorize));
        var fields = CodeFlowSignIn.Form(login.Html);
        (fields["UserName"], fields["Password"]) = (userName, password);
        var enroll = await FollowAsync(browser, Post(login.Url, fields));
        var key = System.Text.RegularExpressions.Regex.Match(enroll.Html, "id=\"authenticator-key\">([a-z2-7 ]+)<").Groups[1].Value;
        var form = CodeFlowSignIn.Form(enroll.Html);
        form["Code"] = Totp(key);
        var done = await FollowAsync(browser, Post(enroll.Url, form));
        Assert.Contains("recovery-codes", done.Html, StringComparison.Ordinal);
        return key;
    }

    [Fact]
    public async Task A_coordinator_sets_up_the_authenticator_at_first_sign_in_and_needs_the_code_from_then_on()
    {
        using (var plain = identity.SignIn())
        {
            // No session before the second factor exists.
            var refused = await Assert.ThrowsAsync<SignInRefusedException>(() => plain.SignInAsync("coordinator@caritas", identity.SeedPassword));
            Assert.Contains("EnableAuthenticator", refused.Message, StringComparison.Ordinal);
        }

        using var browser = Browser();
        var login = await FollowAsync(browser, new HttpRequestMessage(HttpMethod.Get, Authorize()));
        var fields = CodeFlowSignIn.Form(login.Html);
        (fields["UserName"], fields["Password"]) = ("coordinator@caritas", identity.SeedPassword);
        var enroll = await FollowAsync(browser, Post(login.Url, fields));
        Assert.EndsWith("/Account/EnableAuthenticator", enroll.Url.AbsolutePath, StringComparison.Ordinal);
        var key = System.Text.RegularExpressions.Regex.Match(enroll.Html, "id=\"authenticator-key\">([a-z2-7 ]+)<").Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = CodeFlowSignIn.Form(enroll.Html);
        wrong["Code"] = "000000" == Totp(key) ? "111111" : "000000";
        var stillEnrolling = await FollowAsync(browser, Post(enroll.Url, wrong));
        Assert.Contains("Der Code passt nicht", CodeFlowSignIn.Message(stillEnrolling.Html), StringComparison.Ordinal);

        var right = CodeFlowSignIn.Form(stillEnrolling.Html);
        right["Code"] = Totp(key);
        var done = await FollowAsync(browser, Post(enroll.Url, right));
        var recoveryCodes = System.Text.RegularExpressions.Regex.Matches(done.Html, "<li>([^<]+)</li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        var next = System.Text.RegularExpressions.Regex.Match(done.Html, "href=\"([^\"]+)\" id=\"weiter\"").Groups[1].Value;
        var code = await FollowAsync(browser, new HttpRequestMessage(HttpMethod.Get, new Uri(identity.Issuer, System.Net.WebUtility.HtmlDecode(next))));
        Assert.Contains("code=", code.Location!.Query, StringComparison.Ordinal);

        // Signed in with the second factor set up: the set-up page does not show the key again.
        var setUpAgain = await FollowAsync(browser, new HttpRequestMessage(HttpMethod.Get, new Uri(identity.Issuer, "Account/EnableAuthenticator")));
        Assert.DoesNotContain("authenticator-key", setUpAgain.Html, StringComparison.Ordinal);
        Assert.Contains("schon eingerichtet", setUpAgain.Html, StringComparison.Ordinal);

        // From now on: password and code.
        using var again = identity.SignIn();
        await Assert.ThrowsAsync<SignInRefusedException>(() => again.SignInAsync("coordinator@caritas", identity.SeedPassword, () => "123456" == Totp(key) ? "654321" : "123456"));
        using var withCode = identity.SignIn();
        var tokens = await withCode.SignInAsync("coordinator@caritas", identity.SeedPassword, () => Totp(key));
        var result = await identity.ValidateAsync(tokens.AccessToken);
        Assert.Equal(KimRoles.Coordinator, result.Claims[KimClaims.Role]);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountSecondFactorEnabled");
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountSecondFactorFailed");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        using var browser = Browser();
        var login = await FollowAsync(browser, new HttpRequestMessage(HttpMethod.Get, Authorize()));
        var fields = CodeFlowSignIn.Form(login.Html);
        (fields["UserName"], fields["Password"]) = ("data-protection-officer@diakonie", identity.SeedPassword);
        var enroll = await FollowAsync(browser, Post(login.Url, fields));
        var key = System.Text.RegularExpressions.Regex.Match(enroll.Html, "id=\"authenticator-key\">([a-z2-7 ]+)<").Groups[1].Value;
        var form = CodeFlowSignIn.Form(enroll.Html);
        form["Code"] = Totp(key);
        var done = await FollowAsync(browser, Post(enroll.Url, form));
        var recovery = System.Text.RegularExpressions.Regex.Matches(done.Html, "<li>([^<]+)</li>").Select(m => m.Groups[1].Value).First();

        async Task<(Uri Url, string Html, Uri? Location)> WithRecoveryAsync()
        {
            using var fresh = Browser();
            var page = await FollowAsync(fresh, new HttpRequestMessage(HttpMethod.Get, Authorize()));
            var credentials = CodeFlowSignIn.Form(page.Html);
            (credentials["UserName"], credentials["Password"]) = ("data-protection-officer@diakonie", identity.SeedPassword);
            var second = await FollowAsync(fresh, Post(page.Url, credentials));
            Assert.EndsWith("/Account/LoginWith2fa", second.Url.AbsolutePath, StringComparison.Ordinal);
            var recoveryPage = await FollowAsync(fresh, new HttpRequestMessage(HttpMethod.Get, new Uri(second.Url, "LoginWithRecoveryCode" + second.Url.Query)));
            var code = CodeFlowSignIn.Form(recoveryPage.Html);
            code["Code"] = recovery;
            return await FollowAsync(fresh, Post(recoveryPage.Url, code));
        }

        Assert.NotNull((await WithRecoveryAsync()).Location);
        var reused = await WithRecoveryAsync();
        Assert.Null(reused.Location);
        Assert.Contains("schon benutzt", CodeFlowSignIn.Message(reused.Html), StringComparison.Ordinal);
    }
}
