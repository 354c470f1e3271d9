using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kim.ServiceDefaults.Security;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>Walks the role matrix of docs/security.md through the real gateway, for every route and every role.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class RoleMatrixTests(PlatformFixture platform, ITestOutputHelper output)
{
    private sealed record Row(string Service, HttpMethod Method, string Path, IReadOnlySet<string> Roles);

    private static IReadOnlyList<Row> Matrix()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kim.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Repository root not found.");
        }

        var text = File.ReadAllText(Path.Combine(root, "docs", "security.md"));
        var table = text[text.IndexOf("<!-- role-matrix:start -->", StringComparison.Ordinal)..text.IndexOf("<!-- role-matrix:end -->", StringComparison.Ordinal)];
        return [.. table.Split('\n').Select(line => RowPattern().Match(line)).Where(m => m.Success).Select(m => new Row(
            m.Groups["service"].Value,
            new HttpMethod(m.Groups["method"].Value),
            m.Groups["path"].Value,
            m.Groups["roles"].Value.Trim() == "any role"
                ? KimRoles.All.ToHashSet()
                : m.Groups["roles"].Value.Split(',').Select(r => r.Trim().Split(' ')[0]).ToHashSet()))];
    }

    [Fact]
    public async Task The_matrix_lists_every_api_route_of_every_service_and_no_other()
    {
        var matrix = Matrix();
        Assert.True(matrix.Count > 80, $"only {matrix.Count} rows parsed");
        foreach (var service in new[] { "caseservice", "networkservice", "reportingservice", "statereportingservice" })
        {
            var document = await platform.GatewayClient().GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");
            var served = document.GetProperty("paths").EnumerateObject()
                .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
                .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
                .ToHashSet();
            var documented = matrix.Where(r => r.Service == service).Select(r => $"{r.Method} {r.Path}").ToHashSet();
            Assert.True(served.SetEquals(documented),
                $"{service}: served but not in the matrix: {string.Join("; ", served.Except(documented))}; in the matrix but not served: {string.Join("; ", documented.Except(served))}");
        }
    }

    [Fact]
    public async Task Every_route_answers_each_role_as_the_matrix_says_and_nothing_without_a_token()
    {
        var matrix = Matrix();
        var calls = 0;
        var failures = new List<string>();
        foreach (var (row, index) in matrix.Select((row, index) => (row, index)))
        {
            var tenant = row.Service switch { "caseservice" => "caritas", "statereportingservice" => "land", _ => "kommune" };
            var path = Concrete(row.Path, tenant);
            var anonymous = await SendAsync(platform.GatewayClient(tenant: null), row.Method, path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{row.Method} {path} without a token: {(int)anonymous.StatusCode}");
            foreach (var role in KimRoles.All)
            {
                var response = await SendAsync(platform.GatewayClient(tenant, role, $"{role}-{index}"), row.Method, path);
                calls++;
                if (row.Roles.Contains(role))
                {
                    // Let in: the endpoint itself answered. A 404 must be its own (the record with the empty id does not
                    // exist), not the generic one of a route that is missing or a refusal in disguise.
                    var status = (int)response.StatusCode;
                    var title = await ProblemTitleAsync(response);
                    if (status is 401 or 403 or >= 500 || (status == 404 && title is null or GenericNotFound))
                    {
                        failures.Add($"{role} on {row.Method} {path}: {status} {title}");
                    }
                }
                else if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{role} on {row.Method} {path}: expected 403, got {(int)response.StatusCode}");
                }
            }
        }

        output.WriteLine($"role matrix: {matrix.Count} routes x {KimRoles.All.Count} roles = {calls} calls, plus {matrix.Count} without a token");
        Assert.True(failures.Count == 0, $"{failures.Count} answers against the matrix:\n{string.Join('\n', failures.Take(40))}");
    }

    [Fact]
    public async Task A_caritas_token_gets_403_on_every_kommune_route_and_no_kommune_data()
    {
        var familyName = "Kommunefall" + Guid.NewGuid().ToString("N")[..8];
        var created = await platform.GatewayClient("kommune").PostAsJsonAsync("/api/tenants/kommune/cases",
            new { client = new { givenName = "Geheim", familyName, birthDate = "1969-05-17" } });
        created.EnsureSuccessStatusCode();
        var kommuneCase = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var routes = Matrix().Where(r => r.Service == "caseservice").ToList();
        foreach (var row in routes)
        {
            var path = Concrete(row.Path, "kommune").Replace(Guid.Empty.ToString(), kommuneCase, StringComparison.Ordinal);
            foreach (var role in KimRoles.All)
            {
                var response = await SendAsync(platform.GatewayClient("caritas", role, $"intruder-{role}"), row.Method, path);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"caritas {role} on {row.Method} {path}: {(int)response.StatusCode}");
                Assert.DoesNotContain(familyName, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("1969-05-17", body, StringComparison.Ordinal);
                Assert.DoesNotContain(kommuneCase, body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task The_coordinating_office_passes_the_gateway_to_another_tenants_supervision_view_and_nowhere_else()
    {
        var supervisor = platform.GatewayClient("kommune", KimRoles.Coordinator, "ks-koordination");
        var view = await supervisor.GetAsync("/api/tenants/caritas/supervision/cases");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("caritas", (await view.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenant").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/tenants/caritas/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/tenants/caritas/supervision/cases/../../cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.GatewayClient("kommune", KimRoles.CaseManager).GetAsync("/api/tenants/caritas/supervision/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.GatewayClient("caritas", KimRoles.Coordinator).GetAsync("/api/tenants/kommune/supervision/cases")).StatusCode);
    }

    /// <summary>The title of a 404 that no endpoint wrote: no route matched, or an endpoint answered without a problem of its own.</summary>
    private const string GenericNotFound = "Nicht gefunden";

    private static async Task<string?> ProblemTitleAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("title", out var title) ? title.GetString() : null;
    }

    /// <summary>Fills the route's parameters: the tenant, an id that exists nowhere, a life domain.</summary>
    private static string Concrete(string template, string tenant) =>
        ParameterPattern().Replace(template.Replace("{tenant}", tenant, StringComparison.Ordinal).Replace("{lifeDomain}", "Housing", StringComparison.Ordinal), Guid.Empty.ToString());

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    [GeneratedRegex(@"^\| (?<service>\w+) \| (?<method>[A-Z]+) \| `(?<path>[^`]+)` \| (?<roles>[^|]+) \|")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex ParameterPattern();
}
