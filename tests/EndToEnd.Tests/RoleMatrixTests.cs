using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>Walks the role matrix of docs/security.md through the real gateway, for every route and every role.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class RoleMatrixTests(PlatformFixture platform, ITestOutputHelper output)
{
    /// <summary>A row of the matrix; <paramref name="CoordinatingOfficeOnly"/>: roles written "role (coordinating office)", granted to tokens of the coordinating office's tenant only.</summary>
    private sealed record Row(string Service, HttpMethod Method, string Path, IReadOnlySet<string> Roles, IReadOnlySet<string> CoordinatingOfficeOnly);

    /// <summary>The coordinating office's tenant of the test platform (<c>Platform:CoordinatingTenant</c>).</summary>
    private const string CoordinatingTenant = "kommune";

    private const string CoordinatingOfficeMark = "(coordinating office)";

    private static IReadOnlyList<Row> Matrix()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Kim.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Repository root not found.");
        }

        var text = File.ReadAllText(Path.Combine(root, "docs", "security.md"));
        var table = text[text.IndexOf("<!-- role-matrix:start -->", StringComparison.Ordinal)..text.IndexOf("<!-- role-matrix:end -->", StringComparison.Ordinal)];
        return [.. table.Split('\n').Select(Parse).OfType<Row>()];
    }

    private static Row? Parse(string line)
    {
        var m = RowPattern().Match(line);
        if (!m.Success)
        {
            return null;
        }

        var cells = m.Groups["roles"].Value.Trim() == "any role"
            ? KimRoles.All.ToList()
            : m.Groups["roles"].Value.Split(',').Select(r => r.Trim()).ToList();
        return new Row(
            m.Groups["service"].Value,
            new HttpMethod(m.Groups["method"].Value),
            m.Groups["path"].Value,
            cells.Select(r => r.Split(' ')[0]).ToHashSet(),
            // "coordinator (coordinating office)", not "coordinator (also of the coordinating office)".
            cells.Where(r => r.EndsWith(" " + CoordinatingOfficeMark, StringComparison.Ordinal)).Select(r => r.Split(' ')[0]).ToHashSet());
    }

    [Fact]
    public void The_matrix_parses_roles_of_the_coordinating_office_and_supervision_by_it()
    {
        var office = Parse("| networkservice | POST | `/api/network/organisations` | coordinator (coordinating office), steering-member |")!;
        Assert.Equal(["coordinator", "steering-member"], office.Roles.Order());
        Assert.Equal(["coordinator"], office.CoordinatingOfficeOnly);
        var supervision = Parse("| caseservice | GET | `/api/tenants/{tenant}/supervision/cases` | coordinator (also of the coordinating office) |")!;
        Assert.Equal(["coordinator"], supervision.Roles);
        Assert.Empty(supervision.CoordinatingOfficeOnly);

        Assert.All(Matrix(), r => Assert.All(r.Roles, role => Assert.Contains(role, KimRoles.All)));
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
        var hostile = new HostileCount();
        var extra = 0;
        foreach (var (row, index) in matrix.Select((row, index) => (row, index)))
        {
            var tenant = row.Service switch { "caseservice" => "caritas", "statereportingservice" => "land", _ => CoordinatingTenant };
            var path = Concrete(row.Path, tenant);
            var anonymous = await SendAsync(platform.GatewayClient(tenant: null), row.Method, path);
            hostile.Add(anonymous, HttpStatusCode.Unauthorized, $"no token on {row.Method} {path}", failures);

            // Correctly signed, but with roles that are not the platform's or without a subject or tenant of their own.
            foreach (var odd in OddTokens.For(platform.Platform.DevSigningKey, tenant, $"odd-{index}"))
            {
                var client = platform.GatewayClient(tenant: null);
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", odd.Token);
                hostile.Add(await SendAsync(client, row.Method, path), (HttpStatusCode)odd.ExpectedStatus, $"{odd.Kind} on {row.Method} {path}", failures);
                extra++;
            }

            // A role of the coordinating office only: the same role of another tenant gets nothing.
            foreach (var role in row.CoordinatingOfficeOnly)
            {
                var response = await SendAsync(platform.GatewayClient("caritas", role, $"{role}-caritas-{index}"), row.Method, path);
                hostile.Add(response, HttpStatusCode.Forbidden, $"caritas {role} on {row.Method} {path}", failures);
                extra++;
            }

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
                else
                {
                    hostile.Add(response, HttpStatusCode.Forbidden, $"{role} on {row.Method} {path}", failures);
                }
            }
        }

        output.WriteLine($"role matrix: {matrix.Count} routes x {KimRoles.All.Count} roles = {calls} calls, plus {matrix.Count} without a token and {extra} with odd tokens or another tenant's role");
        hostile.Report(output, "role matrix");
        Assert.True(failures.Count == 0, $"{failures.Count} answers against the matrix:\n{string.Join('\n', failures.Take(40))}");
        Assert.Equal(0, hostile.ServerErrors);
        Assert.Equal(0, hostile.UnauthorisedSuccesses);
    }

    /// <summary>Requests that must be refused, and how they were answered.</summary>
    private sealed class HostileCount
    {
        public int Sent { get; private set; }

        public int Refused { get; private set; }

        public int ServerErrors { get; private set; }

        public int UnauthorisedSuccesses { get; private set; }

        public void Add(HttpResponseMessage response, HttpStatusCode expected, string what, List<string> failures)
        {
            using var _ = response;
            var status = (int)response.StatusCode;
            Sent++;
            Refused += status is >= 400 and < 500 ? 1 : 0;
            ServerErrors += status >= 500 ? 1 : 0;
            UnauthorisedSuccesses += status < 400 ? 1 : 0;
            if (response.StatusCode != expected)
            {
                failures.Add($"{what}: expected {(int)expected}, got {status}");
            }
        }

        public void Report(ITestOutputHelper output, string suite) => Kim.Testing.TestFigures.Report(output, "figures.txt",
            $"hostile requests ({suite}): {Sent} sent, {Refused} refused with 4xx, {ServerErrors} 5xx, {UnauthorisedSuccesses} unauthorised 2xx");
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
