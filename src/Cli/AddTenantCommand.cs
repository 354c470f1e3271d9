using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.Extensions.Configuration;

namespace Kim.Cli;

/// <summary>
/// <c>add-tenant</c>: the one way to add a carrier-hosted tenant (docs/carrier.md). Run by the office's operator, it
/// creates the tenant's broker user with least rights (<see cref="BrokerAccess"/>), generates the tenant's pseudonym
/// key, registers the gateway route where AppHost reads it on its next start (<see cref="ExternalTenantsFile"/>) and
/// writes the environment file the carrier starts its CaseService with (mode 0600; the only copy of the key).
/// Every check runs before anything is changed: a refusal leaves no user, no file and no route behind.
/// </summary>
public static class AddTenantCommand
{
    public const string UsageText = """
        usage: add-tenant --tenant <id> --url <https base URL of the carrier's CaseService>
                          [--messaging amqps://<broker host the carrier reaches>:5671/<vhost>]
                          [--management https://<admin>:<password>@<broker>:15671/]
                          [--authority https://<public address>/identity/] [--audience kim]
                          [--coordinating-tenant kommune] [--database <SQLite file on the carrier's machine>]
                          [--listen <ASPNETCORE_URLS>] [--out <folder>] [--insecure-http]
        defaults: --messaging from ConnectionStrings:messaging, --management from RabbitMq:ManagementUri,
                  --authority from Authentication:Authority or Parameters:identity-issuer of the platform's configuration.
        --insecure-http allows http:// and amqp:// and a loopback broker host (tests and development only).
        """;

    /// <summary>AppHost's default tenants (<c>PlatformOptions.DefaultTenants</c>) when the configuration names none.</summary>
    public static readonly IReadOnlyList<string> DefaultTenants = ["kommune", "caritas", "diakonie"];

    public static string EnvFileName(string tenant) => ResourceNames.CaseService(tenant) + ".env";

    public static async Task<int> RunAsync(string[] arguments, IConfiguration platform, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? Option(string name) => CommandLine.Option(arguments, name);
        var insecure = arguments.Contains("--insecure-http");

        var tenant = Option("tenant");
        var url = Option("url");
        if (tenant is null || url is null)
        {
            error.WriteLine(UsageText);
            return 2;
        }

        int Refuse(string message)
        {
            error.WriteLine($"add-tenant refused, nothing was changed: {message}");
            return 1;
        }

        // The name.
        if (!TenantNames.IsValid(tenant))
        {
            return Refuse($"'{tenant}' is not a valid tenant name (2-32 lower-case letters, digits or '-', starting with a letter, not ending with '-').");
        }

        var dataDirectory = RepositoryPaths.DataDirectory(platform);
        var routes = ExternalTenantsFile.PathIn(dataDirectory);
        var internalTenants = InternalTenants(platform);
        if (internalTenants.Contains(tenant))
        {
            return Refuse($"'{tenant}' is already a tenant the platform runs itself (Platform:Tenants).");
        }

        var externalTenants = platform.GetSection("Platform:ExternalTenants").GetChildren().Select(c => c.Key)
            .Concat(ExternalTenantsFile.Read(routes).Keys);
        if (externalTenants.Contains(tenant, StringComparer.Ordinal))
        {
            return Refuse($"'{tenant}' is already a carrier-hosted tenant (Platform:ExternalTenants). Re-running is not supported; see docs/carrier.md, \"Changing a tenant\".");
        }

        // The carrier's address.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("https" or "http")
            || baseUrl.UserInfo.Length > 0 || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0)
        {
            return Refuse($"--url '{url}' is not a base URL such as https://kim.carrier.example:8443/.");
        }

        if (baseUrl.Scheme == "http" && !insecure)
        {
            return Refuse($"--url '{url}' is not https. Case data leave the office's network only encrypted (--insecure-http is for tests only).");
        }

        var coordinating = Option("coordinating-tenant") ?? platform["Platform:CoordinatingTenant"] ?? "kommune";
        if (coordinating.Length > 0 && (!TenantNames.IsValid(coordinating) || coordinating == tenant))
        {
            return Refuse($"the coordinating tenant '{coordinating}' is not valid for tenant '{tenant}'.");
        }

        // The broker as the carrier reaches it, and its management API as the office reaches it.
        var messagingSetting = Option("messaging") ?? platform.GetConnectionString(ResourceNames.Messaging);
        if (string.IsNullOrWhiteSpace(messagingSetting) || !Uri.TryCreate(messagingSetting, UriKind.Absolute, out var messaging)
            || messaging.Scheme is not ("amqps" or "amqp"))
        {
            return Refuse("give --messaging amqps://<broker host the carrier reaches>:5671/<vhost> (no ConnectionStrings:messaging is configured).");
        }

        if (messaging.Scheme == "amqp" && !insecure)
        {
            return Refuse($"--messaging must be amqps:// (TLS); the carrier reaches the broker over a network the office does not own.");
        }

        if (IsLoopback(messaging.Host) && !insecure)
        {
            return Refuse($"--messaging names {messaging.Host}, which the carrier's machine cannot reach; give the broker's address as the carrier sees it.");
        }

        var managementSetting = Option("management") ?? platform["RabbitMq:ManagementUri"];
        if (string.IsNullOrWhiteSpace(managementSetting) || !Uri.TryCreate(managementSetting, UriKind.Absolute, out var management)
            || management.Scheme is not ("https" or "http"))
        {
            return Refuse("give --management http(s)://<admin>:<password>@<broker>:15672/ (no RabbitMq:ManagementUri is configured).");
        }

        // Tokens.
        var authority = Option("authority") ?? platform["Authentication:Authority"] ?? platform["Parameters:identity-issuer"]
            ?? (insecure ? $"http://127.0.0.1:{platform["Platform:GatewayPort"] ?? "8080"}/identity/" : null);
        if (authority is null || !Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri) || authorityUri.Scheme is not ("https" or "http"))
        {
            return Refuse("give --authority https://<the platform's public address>/identity/ (the OIDC issuer whose tokens the carrier's CaseService accepts).");
        }

        if (authorityUri.Scheme == "http" && !insecure)
        {
            return Refuse($"--authority '{authority}' is not https.");
        }

        var audience = Option("audience") ?? platform["Authentication:Audience"] ?? Kim.ServiceDefaults.Security.DevTokens.Audience;

        // The file to hand over.
        var folder = Path.GetFullPath(Option("out") ?? Path.Combine(dataDirectory, "tenants"));
        var envFile = Path.Combine(folder, EnvFileName(tenant));
        if (File.Exists(envFile))
        {
            return Refuse($"{envFile} exists already; move it away first (it holds another key).");
        }

        var virtualHost = VirtualHostOf(messaging);
        var resource = ResourceNames.CaseService(tenant);
        var user = BrokerAccess.UserName(resource, virtualHost);
        using (var admin = new ManagementLookup(management))
        {
            var problem = await admin.CheckAsync(virtualHost, user, cancellationToken);
            if (problem is not null)
            {
                return Refuse(problem);
            }
        }

        // Everything checked: change the broker, write the file, register the route.
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var carrierBroker = new BrokerEndpoint(WithoutCredentials(messaging), management, "add-tenant");
        var connection = await BrokerAccess.ProvisionAsync(carrierBroker, virtualHost, resource, password, cancellationToken);
        var settings = new CarrierSettings(
            tenant,
            baseUrl,
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            coordinating,
            connection,
            Option("database") ?? $"/var/lib/kim-{resource}/casedb.db",
            authorityUri,
            audience,
            Option("listen") ?? $"{baseUrl.Scheme}://+:{baseUrl.Port}",
            insecure);
        var written = false;
        try
        {
            await WriteOwnerOnlyAsync(folder, envFile, settings.Render(DateTimeOffset.UtcNow));
            written = true;

            ExternalTenantsFile.Add(routes, tenant, baseUrl.ToString());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            using var admin = new ManagementLookup(management);
            await admin.DeleteUserAsync(user, CancellationToken.None);
            if (written)
            {
                File.Delete(envFile);
            }

            return Refuse($"could not write {envFile} or {routes} ({exception.Message}); the broker user was removed again.");
        }

        output.WriteLine($"Tenant {tenant} added.");
        output.WriteLine($"  broker user      {user} in virtual host {virtualHost} (rights of {resource}), at {messaging.Host}:{PortOf(messaging)}");
        output.WriteLine($"  pseudonym key    32 random bytes, only in the file below");
        output.WriteLine($"  coordinating     {(coordinating.Length > 0 ? coordinating : "none")} (Tenant__CoordinatingTenant)");
        output.WriteLine($"  file to hand over {envFile} (mode 0600; holds the key and the broker password: hand it over by a secure channel, then delete your copy)");
        output.WriteLine($"  gateway route    /api/tenants/{tenant}/** -> {baseUrl} registered in {routes};");
        output.WriteLine("                   the gateway routes it after the next start of the platform (dotnet run --project src/AppHost).");
        output.WriteLine($"Next: the carrier fills in the TLS lines and starts its CaseService with the file (docs/carrier.md).");
        return 0;
    }

    /// <summary>The tenants AppHost runs itself: <c>Platform:Tenants</c> without empty entries, else the defaults.</summary>
    public static IReadOnlyList<string> InternalTenants(IConfiguration platform)
    {
        var configured = platform.GetSection("Platform:Tenants").GetChildren().Select(c => c.Value).ToList();
        return configured.Count > 0
            ? configured.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).ToList()
            : DefaultTenants;
    }

    /// <summary>Creates the file (never over an existing one) readable and writable by its owner only, from its first byte on.</summary>
    private static async Task WriteOwnerOnlyAsync(string folder, string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        try
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            await file.WriteAsync(bytes);
            await file.FlushAsync();
        }
        catch (IOException)
        {
            await file.DisposeAsync();
            File.Delete(path);
            throw;
        }
    }

    private static string VirtualHostOf(Uri amqp)
    {
        var path = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/'));
        return path.Length == 0 ? "/" : path;
    }

    private static Uri WithoutCredentials(Uri uri) => new UriBuilder(uri) { UserName = "", Password = "" }.Uri;

    private static int PortOf(Uri amqp) => amqp.IsDefaultPort || amqp.Port < 0 ? (amqp.Scheme == "amqps" ? 5671 : 5672) : amqp.Port;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The management API calls the checks need besides <see cref="RabbitMqManagementClient"/>.</summary>
    private sealed class ManagementLookup : IDisposable
    {
        private readonly HttpClient http;

        public ManagementLookup(Uri managementUri)
        {
            // The address without the credentials, which go into the header only (and never into a message).
            http = new HttpClient { BaseAddress = new Uri($"{managementUri.Scheme}://{managementUri.Authority}/"), Timeout = TimeSpan.FromSeconds(10) };
            var credentials = Uri.UnescapeDataString(managementUri.UserInfo);
            if (credentials.Length > 0)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
            }
        }

        /// <summary>Null when the broker answers, the credentials are an administrator's, the virtual host exists and the user does not; else why not.</summary>
        public async Task<string?> CheckAsync(string virtualHost, string user, CancellationToken cancellationToken)
        {
            try
            {
                using var whoami = await http.GetAsync("api/whoami", cancellationToken);
                if (whoami.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return $"the broker's management API at {http.BaseAddress} refused the credentials.";
                }

                whoami.EnsureSuccessStatusCode();
                using var identity = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync(cancellationToken));
                var tags = identity.RootElement.TryGetProperty("tags", out var value)
                    ? (value.ValueKind == JsonValueKind.Array ? string.Join(",", value.EnumerateArray().Select(t => t.GetString())) : value.GetString() ?? "")
                    : "";
                if (!tags.Split(',').Contains("administrator"))
                {
                    return "the management credentials are not an administrator's; creating users needs one.";
                }

                using var host = await http.GetAsync($"api/vhosts/{Uri.EscapeDataString(virtualHost)}", cancellationToken);
                if (host.StatusCode == HttpStatusCode.NotFound)
                {
                    return $"the broker has no virtual host '{virtualHost}' (the path of --messaging).";
                }

                host.EnsureSuccessStatusCode();
                using var existing = await http.GetAsync($"api/users/{Uri.EscapeDataString(user)}", cancellationToken);
                if (existing.StatusCode != HttpStatusCode.NotFound)
                {
                    existing.EnsureSuccessStatusCode();
                    return $"the broker user '{user}' exists already; remove it first if it is a leftover (rabbitmqctl delete_user).";
                }

                return null;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return $"the broker's management API at {http.BaseAddress} does not answer ({exception.Message}).";
            }
        }

        public async Task DeleteUserAsync(string user, CancellationToken cancellationToken)
        {
            using var response = await http.DeleteAsync($"api/users/{Uri.EscapeDataString(user)}", cancellationToken);
        }

        public void Dispose() => http.Dispose();
    }
}

/// <summary>What the carrier's CaseService needs, rendered as an environment file (systemd <c>EnvironmentFile=</c>, <c>docker --env-file</c>, or <c>set -a; . file</c>).</summary>
internal sealed record CarrierSettings(
    string Tenant,
    Uri BaseUrl,
    string PseudonymKey,
    string CoordinatingTenant,
    Uri Messaging,
    string DatabaseFile,
    Uri Authority,
    string Audience,
    string Listen,
    bool Insecure)
{
    public string Render(DateTimeOffset now)
    {
        var resource = ResourceNames.CaseService(Tenant);
        var lines = new List<string>
        {
            $"# CaseService of tenant {Tenant}, run by the carrier at {BaseUrl}",
            $"# Written by add-tenant on {now:yyyy-MM-dd HH:mm} UTC. Secret: the pseudonym key and the broker password are",
            "# only here. Keep the file readable by its owner only (mode 0600). Format: KEY=value, no quotes.",
            "ASPNETCORE_ENVIRONMENT=Production",
            "DOTNET_ENVIRONMENT=Production",
            $"ASPNETCORE_URLS={Listen}",
            "",
            "# The tenant. Tenant__PseudonymKey makes the CaseKeys: never change or lose it (back it up with the database).",
            $"Tenant__Id={Tenant}",
            $"Tenant__PseudonymKey={PseudonymKey}",
        };
        lines.Add(CoordinatingTenant.Length > 0
            ? $"Tenant__CoordinatingTenant={CoordinatingTenant}"
            : "# Tenant__CoordinatingTenant= (the platform has no coordinating office)");
        lines.AddRange(
        [
            "",
            "# The database: a local SQLite file, created and migrated at the first start.",
            $"ConnectionStrings__casedb=DataSource={DatabaseFile}",
            "Database__MigrateOnStartup=true",
            "",
            $"# The municipal broker: this tenant's own user, with the rights of {resource} only.",
            $"ConnectionStrings__messaging={Messaging}",
        ]);
        lines.AddRange(Messaging.Scheme == "amqps"
            ?
            [
                "# TLS to the broker: the CA that issued the broker's certificate and, if the broker asks for one, this",
                "# instance's client certificate (PEM files the office's operator hands over with this file).",
                $"Messaging__Tls__CaFile=/etc/kim/tls/broker-ca.pem",
                $"# Messaging__Tls__ClientCertificateFile=/etc/kim/tls/{resource}-broker.crt",
                $"# Messaging__Tls__ClientKeyFile=/etc/kim/tls/{resource}-broker.key",
                "# Messaging__Tls__ServerName= (only when the broker's certificate names another host than the URI)",
            ]
            : ["# No TLS to the broker (--insecure-http): for tests only."]);
        lines.AddRange(
        [
            "",
            "# Tokens of the platform's sign-in (the same issuer and audience as every service of the platform).",
            $"Authentication__Authority={Authority}",
            $"Authentication__Audience={Audience}",
        ]);
        if (Authority.Scheme == "http")
        {
            lines.Add("Authentication__RequireHttpsMetadata=false");
        }

        lines.Add("");
        lines.AddRange(BaseUrl.Scheme == "https"
            ?
            [
                "# HTTPS of this CaseService: its server certificate and key (PEM) for the name in the URL above.",
                $"Kestrel__Certificates__Default__Path=/etc/kim/tls/{resource}.crt",
                $"Kestrel__Certificates__Default__KeyPath=/etc/kim/tls/{resource}.key",
                "# Only the municipal gateway gets in: every https connection needs a client certificate of the municipal CA.",
                "Tenant__Transport__ClientCaFile=/etc/kim/tls/municipal-ca.pem",
                "# A plain endpoint for the carrier's own probes (answers /health and /alive only): replace ASPNETCORE_URLS by",
                $"# Kestrel__Endpoints__Https__Url={Listen} and Kestrel__Endpoints__Local__Url=http://127.0.0.1:8081",
            ]
            : ["# No HTTPS (--insecure-http): for tests only."]);
        return string.Join('\n', lines) + "\n";
    }
}
