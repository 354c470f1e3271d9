using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kim.ServiceDefaults.Security;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>
/// Every write endpoint of every service, through the real gateway, with bad input of every kind the security
/// issue lists. Each answer must be a 4xx problem (never a 5xx), and no database of the platform may change.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputSuiteTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string[] Injections = ["' OR '1'='1' --", "\"; DROP TABLE Cases; --", "<script>alert(1)</script>", "${jndi:ldap://evil/x}", "{{7*7}}", "../../etc/passwd"];
    private static readonly string[] OddText = ["a\u0000b", "line\u0007bell", "\u202Egnp.exe", "zero\u200Bwidth", "\uFEFFbom", "\uE000private", new string('x', 10_000)];

    private readonly Dictionary<string, int> triedByKind = [];
    private int refused;

    [Fact]
    public async Task Every_write_endpoint_refuses_every_kind_of_bad_input_with_a_4xx_problem_and_changes_nothing()
    {
        var endpoints = await WriteEndpointsAsync();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} write endpoints found");
        var before = await QuiescentSnapshotAsync();

        foreach (var endpoint in endpoints)
        {
            var client = ClientFor(endpoint);
            var path = Concrete(endpoint.Path, endpoint.Tenant, Guid.NewGuid().ToString());
            foreach (var (kind, token) in BadTokens(endpoint.Tenant ?? "kommune"))
            {
                var bad = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
                bad.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await ExpectRefusedAsync(kind, bad, endpoint.Method, path, "{}");
            }

            if (!endpoint.HasBody && path == endpoint.Path)
            {
                // Nothing but the token to get wrong (e.g. rebuilding projections).
                continue;
            }

            await ExpectRefusedAsync("malformed JSON", client, endpoint.Method, path, "{\"a\":");
            await ExpectRefusedAsync("malformed JSON", client, endpoint.Method, path, "{\"a\":1,}");
            await ExpectRefusedAsync("not an object", client, endpoint.Method, path, "[1,2,3]");
            // A search takes its terms in the body (names never travel in a URL) and has no required field: an empty
            // body lists, like the query without parameters; everything else about its body is checked below.
            if (!endpoint.Path.EndsWith("/search", StringComparison.Ordinal))
            {
                await ExpectRefusedAsync("missing fields", client, endpoint.Method, path, "{}");
                await ExpectRefusedAsync("unknown field", client, endpoint.Method, path, "{\"isAdmin\":true,\"tenantId\":\"kommune\"}");
            }
            await ExpectRefusedAsync("deep nesting", client, endpoint.Method, path, new string('[', 200) + new string(']', 200));
            await ExpectRefusedAsync("huge body", client, endpoint.Method, path, "{\"x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
            await ExpectRefusedAsync("wrong content type", client, endpoint.Method, path, "{}", "text/plain");
            foreach (var (name, schema) in endpoint.Properties)
            {
                await ExpectRefusedAsync("wrong type", client, endpoint.Method, path, Body(name, WrongType(schema)));
                if (schema["enum"] is not null || IsTyped(schema))
                {
                    foreach (var injection in Injections.Take(2))
                    {
                        await ExpectRefusedAsync(schema["enum"] is not null ? "unknown enum value" : "injection in a typed field", client, endpoint.Method, path, Body(name, injection));
                    }
                }

                if (IsString(schema) && schema["enum"] is null && !IsTyped(schema))
                {
                    foreach (var odd in OddText)
                    {
                        // Only the odd field is set: even a harmless odd value leaves the request incomplete, and
                        // the answer must still be a problem, not a crash.
                        await ExpectRefusedAsync(odd.Length > 1000 ? "overlong string" : "control characters and odd Unicode", client, endpoint.Method, path, Body(name, odd));
                    }
                }
            }

            foreach (var injection in Injections)
            {
                var injected = Concrete(endpoint.Path, endpoint.Tenant, Uri.EscapeDataString(injection));
                if (injected != path)
                {
                    await ExpectRefusedAsync("injection in the path", client, endpoint.Method, injected, "{}");
                }
            }

            if (endpoint.Tenant is not null)
            {
                foreach (var trick in new[] { "..%2Fkommune", "caritas%2F..%2Fkommune", "CARITAS", "caritas%00", "%2e%2e", "kommune", "caritas%20", "c%C3%A4ritas", "*" })
                {
                    await ExpectRefusedAsync("path trick in the tenant segment", client, endpoint.Method, path.Replace("/tenants/caritas/", $"/tenants/{trick}/", StringComparison.Ordinal), "{}");
                }
            }
        }

        var total = triedByKind.Values.Sum();
        output.WriteLine($"bad-input suite: {endpoints.Count} write endpoints, {total} bad requests tried, {refused} refused with a 4xx problem");
        foreach (var (kind, count) in triedByKind.OrderByDescending(k => k.Value))
        {
            output.WriteLine($"  {kind}: {count}");
        }

        Assert.Equal(total, refused);
        Assert.Equal(before, await QuiescentSnapshotAsync());
    }

    private async Task ExpectRefusedAsync(string kind, HttpClient client, string method, string path, string body, string mediaType = "application/json")
    {
        triedByKind[kind] = triedByKind.GetValueOrDefault(kind) + 1;
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

        // As a well-behaved client sends a large body: the gateway refuses it by its length before it is sent.
        request.Headers.ExpectContinue = body.Length > 64 * 1024;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException exception)
        {
            throw new InvalidOperationException($"{kind}: {method} {path} failed: {exception.Message}", exception);
        }

        using var _ = response;
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{kind}: {method} {path} answered {status}: {Shorten(await response.Content.ReadAsStringAsync())} for {Shorten(body)}");
        if (response.Content.Headers.ContentLength is > 0 || response.Content.Headers.ContentType is not null)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{kind}: {method} {path} answered {status} with {response.Content.Headers.ContentType}");
        }

        refused++;
    }

    private sealed record WriteEndpoint(string Service, string Method, string Path, string? Tenant, string Role, bool HasBody, IReadOnlyList<(string Name, JsonNode Schema)> Properties);

    /// <summary>Every POST, PUT, PATCH and DELETE under /api/ of every service, from the OpenAPI documents the gateway serves.</summary>
    private async Task<List<WriteEndpoint>> WriteEndpointsAsync()
    {
        var endpoints = new List<WriteEndpoint>();
        foreach (var service in new[] { "caseservice", "networkservice", "reportingservice", "statereportingservice" })
        {
            var document = JsonNode.Parse(await platform.GatewayClient().GetStringAsync($"/openapi/{service}.json"))!;
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "post" or "put" or "patch" or "delete"))
                {
                    if (!path.StartsWith("/api/", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var schema = Resolve(document, operation!["requestBody"]?["content"]?["application/json"]?["schema"]);
                    var properties = schema?["properties"]?.AsObject().Select(p => (p.Key, Resolve(document, p.Value)!)).ToList() ?? [];
                    var tenant = service == "caseservice" ? "caritas" : null;
                    endpoints.Add(new WriteEndpoint(service, method.ToUpperInvariant(), path, tenant, RoleFor(service, path), schema is not null, properties));
                }
            }
        }

        return endpoints;
    }

    /// <summary>A role that passes authorisation, so the input itself is what gets refused.</summary>
    private static string RoleFor(string service, string path) => service switch
    {
        "caseservice" when path.Contains("/reconstructions", StringComparison.Ordinal) => KimRoles.Coordinator,
        "caseservice" => KimRoles.CaseManager,
        "reportingservice" when path.Contains("/submissions", StringComparison.Ordinal) => KimRoles.Coordinator,
        "reportingservice" => KimRoles.Operator,
        "statereportingservice" => KimRoles.StateReporter,
        _ when path.Contains("/circular/votes", StringComparison.Ordinal) || path.Contains("/circular/objection", StringComparison.Ordinal) => KimRoles.SteeringMember,
        _ => KimRoles.Coordinator,
    };

    private HttpClient ClientFor(WriteEndpoint endpoint) => platform.GatewayClient(endpoint.Tenant ?? "kommune", endpoint.Role, "bad-input-" + endpoint.Role);

    private IEnumerable<(string Kind, string Token)> BadTokens(string tenant)
    {
        var key = platform.Platform.DevSigningKey;
        var now = DateTime.UtcNow;
        yield return ("expired token", DevTokens.Create(key, tenant, KimRoles.Coordinator, "late", now.AddHours(-3), TimeSpan.FromMinutes(5)));
        yield return ("token not yet valid", DevTokens.Create(key, tenant, KimRoles.Coordinator, "early", now.AddHours(2), TimeSpan.FromHours(1)));
        yield return ("wrongly signed token", DevTokens.Create(DevTokens.NewSigningKey(), tenant, KimRoles.Coordinator, "mallory", now, TimeSpan.FromMinutes(5)));
        yield return ("token replayed from another audience", Token(key, "kim-dev", "other-application", tenant, now));
        yield return ("token replayed from another issuer", Token(key, "https://login.example.org", DevTokens.Audience, tenant, now));
        var genuine = DevTokens.Create(key, tenant, KimRoles.Coordinator, "tamper", now, TimeSpan.FromMinutes(5)).Split('.');
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(genuine[1]))!;
        claims["role"] = KimRoles.Operator;
        yield return ("token with altered claims", $"{genuine[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{genuine[2]}");
        yield return ("unsigned token (alg none)", $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{genuine[1]}.");
        yield return ("garbage token", "not.a.token");
    }

    private static string Token(string key, string issuer, string audience, string tenant, DateTime now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddMinutes(5),
        Subject = new ClaimsIdentity([new Claim(KimClaims.Subject, "replay"), new Claim(KimClaims.Tenant, tenant), new Claim(KimClaims.Role, KimRoles.Coordinator)]),
        SigningCredentials = new SigningCredentials(DevTokens.SecurityKey(key), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Row counts of every table in every service database, once two readings a second apart agree.</summary>
    private async Task<string> QuiescentSnapshotAsync()
    {
        var previous = "";
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var current = Snapshot();
            if (current == previous)
            {
                return current;
            }

            previous = current;
            await Task.Delay(1000);
        }

        throw new InvalidOperationException("The platform's databases did not settle.");
    }

    private string Snapshot()
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(platform.DataDirectory, "*.db", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                using var count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                lines.Add($"{Path.GetFileName(file)}/{table}={count.ExecuteScalar()}");
            }
        }

        return string.Join('\n', lines);
    }

    private static string Concrete(string template, string? tenant, string id)
    {
        var path = template.Replace("{tenant}", tenant ?? "kommune", StringComparison.Ordinal).Replace("{lifeDomain}", "Housing", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", id);
    }

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var i = 0; i < 5 && schema is not null; i++)
        {
            if (schema["$ref"] is { } reference)
            {
                schema = document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]];
            }
            else if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
            {
                // A nullable reference: the non-null choice.
                schema = choices.FirstOrDefault(c => c?["type"]?.ToString() != "null") ?? schema;
                if (choices.All(c => c?["type"]?.ToString() == "null"))
                {
                    break;
                }
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    private static IEnumerable<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonValue value => [value.GetValue<string>()],
        JsonArray array => array.Select(t => t!.GetValue<string>()),
        _ => [],
    };

    private static bool IsString(JsonNode schema) => Types(schema).Contains("string");

    /// <summary>A string with a format (uuid, date, date-time) or an enum: free text does not fit it.</summary>
    private static bool IsTyped(JsonNode schema) => IsString(schema) && schema["format"] is not null;

    /// <summary>A value of another type: text for numbers (which may also be sent as numeric strings), a number otherwise.</summary>
    private static JsonNode WrongType(JsonNode schema) =>
        Types(schema).Any(t => t is "integer" or "number") ? JsonValue.Create("not-the-right-type")
        : IsString(schema) || schema["enum"] is not null ? JsonValue.Create(12345)
        : JsonValue.Create("not-the-right-type");

    private static string Body(string name, JsonNode value) => new JsonObject { [name] = value.DeepClone() }.ToJsonString();

    private static string Body(string name, string value) => new JsonObject { [name] = value }.ToJsonString();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
