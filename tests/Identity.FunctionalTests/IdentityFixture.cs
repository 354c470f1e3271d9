using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.Hosting.SignIn;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kim.Identity.FunctionalTests;

/// <summary>
/// The provider as a real Kestrel server on a free port (real HTTP, real cookies and redirects), its own SQLite file
/// and key folder, seeded as in development for the tenants <c>kommune</c>, <c>caritas</c> and <c>diakonie</c>.
/// </summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public const string MachineClient = "reportingservice";

    /// <summary>The municipality the machine client submits for (Kreis Mettmann).</summary>
    public const string MachineMunicipality = "05158";
    public const string MachineSecret = "a-machine-secret-of-the-test";
    private readonly TestDirectories directories = new("identity");
    private WebApplicationFactory<Program>? factory;

    public string SeedPassword { get; } = "seed-" + Guid.NewGuid().ToString("N");

    public string KeyPassword { get; } = Guid.NewGuid().ToString("N");

    public string DevSigningKey { get; } = DevTokens.NewSigningKey();

    public Uri Issuer { get; private set; } = null!;

    public string KeyDirectory => Path.Combine(directories.Path, "keys");

    public ConcurrentQueue<(EventId Event, string Message)> Log { get; } = new();

    public async Task InitializeAsync()
    {
        var port = LocalRabbitMqNode.FreePort();
        factory = Start(port);
        Issuer = new Uri($"http://127.0.0.1:{port}/identity/");
        using var http = new HttpClient();
        // Ready when discovery answers.
        await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri(Issuer, ".well-known/openid-configuration"))).IsSuccessStatusCode, "the provider to answer");
    }

    /// <summary>
    /// A provider on <paramref name="port"/> with this fixture's database, keys and secrets (a restart uses the same);
    /// <paramref name="overrides"/> replace or add settings.
    /// </summary>
    public WebApplicationFactory<Program> Start(int port, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var issuer = $"http://127.0.0.1:{port}/identity/";
        var started = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:identitydb"] = $"Data Source={Path.Combine(directories.Path, "identity.db")}",
                ["Identity:Issuer"] = issuer,
                ["Identity:AllowHttp"] = "true",
                ["Identity:KeyDirectory"] = KeyDirectory,
                ["Identity:KeyPassword"] = KeyPassword,
                ["Identity:SeedPassword"] = SeedPassword,
                ["Identity:Tenants:0"] = "kommune",
                ["Identity:Tenants:1"] = "caritas",
                ["Identity:Tenants:2"] = "diakonie",
                ["Identity:Tenants:3"] = "awo",
                ["Identity:Clients:0:ClientId"] = CliClient.Id,
                ["Identity:Clients:0:RedirectUris:0"] = CliClient.RedirectUri,
                ["Identity:Clients:1:ClientId"] = MachineClient,
                ["Identity:Clients:1:Secret"] = MachineSecret,
                ["Identity:Clients:1:Machine"] = "true",
                ["Identity:Clients:1:Tenant"] = "land",
                ["Identity:Clients:1:Roles:0"] = KimRoles.StateReporter,
                ["Identity:Clients:1:Municipality"] = MachineMunicipality,
                ["Authentication:DevSigningKey"] = DevSigningKey,
                ["Database:MigrateOnStartup"] = "true",
            };
            foreach (var (key, value) in settings.Where(s => overrides?.ContainsKey(s.Key) != true).Concat(overrides ?? new Dictionary<string, string?>()))
            {
                builder.UseSetting(key, value);
            }

            // Security events are warnings: keep those (captured for the tests), not the request chatter.
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new CapturingLoggerProvider(Log)));
        });
        started.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        started.StartServer();
        return started;
    }

    public CodeFlowSignIn SignIn() => new(Issuer, CliClient.Id, CliClient.RedirectUri);

    public IServiceProvider Services => factory!.Services;

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> authenticatorKeys = new();

    /// <summary>Signs in a seed user whose role needs a second factor: sets it up the first time, then uses a computed code.</summary>
    public async Task<TokenResponse> SignInWithSecondFactorAsync(string userName)
    {
        var key = await authenticatorKeys.GetOrAdd(userName, name => new Lazy<Task<string>>(() => SecondFactorTests.EnrollAsync(this, name, SeedPassword))).Value;
        using var signIn = SignIn();
        return await signIn.SignInAsync(userName, SeedPassword, () => SecondFactorTests.Totp(key));
    }

    /// <summary>The provider's published signing keys.</summary>
    public async Task<JsonWebKeySet> KeysAsync()
    {
        using var http = new HttpClient();
        return new JsonWebKeySet(await http.GetStringAsync(new Uri(Issuer, ".well-known/jwks")));
    }

    /// <summary>Validates an access token as a KIM service does: issuer, audience, signature from JWKS, lifetime.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string accessToken) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            ValidIssuer = Issuer.ToString(),
            ValidAudience = "kim",
            IssuerSigningKeys = (await KeysAsync()).GetSigningKeys(),
        });

    public HttpClient AdminClient(string accessToken)
    {
        var client = new HttpClient { BaseAddress = Issuer };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public async Task<JsonElement> ClientCredentialsAsync(string clientId, string secret)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "kim",
        }));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        directories.Dispose();
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(EventId, string)> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(log);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<(EventId, string)> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Enqueue((eventId, formatter(state, exception)));
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "identity";
}
