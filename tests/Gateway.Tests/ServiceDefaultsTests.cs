using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Kim.Gateway.Tests;

/// <summary>
/// What every service gets from the shared defaults, on a small API host over real Kestrel as in production: deny by
/// default, required claims, UTF-8 only, no duplicate JSON members, no Server header.
/// </summary>
public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    private readonly string signingKey = DevTokens.NewSigningKey();
    private WebApplication? app;
    private string url = "";

    public sealed record Thing(string Id, string Name);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        url = $"http://127.0.0.1:{LocalRabbitMqNode.FreePort()}";
        builder.WebHost.UseUrls(url);
        builder.Configuration["Authentication:DevSigningKey"] = signingKey;
        builder.Configuration["Authentication:AllowDevSigningKeyOutsideDevelopment"] = "true";
        builder.AddServiceDefaults();
        builder.AddApiDefaults();
        app = builder.Build();
        app.UseApiDefaults();
        var group = app.MapGroup("/api/things").RequireAuthorization();
        group.MapGet("", () => TypedResults.Ok(new[] { "open to any role" }));
        group.MapPost("", (Thing thing) => TypedResults.Ok(thing));
        group.MapPost("/form", async (HttpRequest request) => TypedResults.Ok((await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())));
        await app.StartAsync();
    }

    private HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            token ?? DevTokens.Create(signingKey, "kommune", KimRoles.CaseManager, "someone", DateTime.UtcNow, TimeSpan.FromMinutes(5)));
        return client;
    }

    [Fact]
    public async Task A_route_open_to_any_role_refuses_unknown_roles_with_403_and_malformed_tokens_with_401()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client().GetAsync("/api/things")).StatusCode);
        var answers = new List<string>();
        foreach (var odd in OddTokens.For(signingKey, "kommune"))
        {
            using var response = await Client(odd.Token).GetAsync("/api/things");
            if ((int)response.StatusCode != odd.ExpectedStatus)
            {
                answers.Add($"{odd.Kind}: {(int)response.StatusCode}, expected {odd.ExpectedStatus}");
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                answers.Add($"{odd.Kind}: {(int)response.StatusCode} without a problem");
            }
        }

        Assert.True(answers.Count == 0, string.Join("\n", answers));
    }

    [Fact]
    public async Task Several_roles_of_which_one_is_the_platforms_pass()
    {
        var token = OddTokens.Signed(signingKey, $"\"sub\":\"u\",\"tenant\":\"kommune\",\"role\":[\"admin\",\"{KimRoles.Coordinator}\"]");

        Assert.Equal(HttpStatusCode.OK, (await Client(token).GetAsync("/api/things")).StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=ISO-8859-1", "s%2Bcr%20t", "s+cr t")]
    [InlineData("application/x-www-form-urlencoded; charset=us-ascii", "s%2Bcr%20t", "s+cr t")]
    [InlineData("application/x-www-form-urlencoded; charset=ISO-8859-1", "s%C3%A9cret", "sécret")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", "s%C3%A9cret", "sécret")]
    [InlineData("application/x-www-form-urlencoded", "s%C3%A9cret", "sécret")]
    public async Task A_form_may_name_latin1_or_ascii_and_is_read_as_percent_encoded_utf8(string contentType, string encoded, string secret)
    {
        // A form's body is ASCII; its percent escapes are read as UTF-8 whatever the label says.
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("client_id=a&client_secret=" + encoded));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Client().PostAsync("/api/things/form", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal("a", form!["client_id"]);
        Assert.Equal(secret, form["client_secret"]);
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=us-ascii")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-16")]
    [InlineData("application/x-www-form-urlencoded; charset=windows-1252")]
    public async Task A_body_in_another_charset_gets_a_415_problem(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"name\":\"b\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Client().PostAsync("/api/things", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.UnsupportedMediaType, problem.GetProperty("type").GetString());
        Assert.Equal("Format nicht unterstützt", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"id\":\"b\",\"name\":\"c\"}")]
    [InlineData("{\"id\":\"a\",\"name\":\"c\",\"Id\":\"b\"}")]
    public async Task Duplicate_json_members_get_a_400_problem(string body)
    {
        using var response = await Client().PostAsync("/api/things", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_utf8_body_without_duplicates_passes_and_no_server_header_is_sent()
    {
        using var response = await Client().PostAsync("/api/things", new StringContent("{\"id\":\"a\",\"name\":\"c\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"));
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}
