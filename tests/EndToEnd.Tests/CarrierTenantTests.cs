using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Hosting;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Xunit.Abstractions;

using static Kim.Testing.ApiSetup;

namespace Kim.EndToEnd.Tests;

/// <summary>
/// A carrier hosts its own tenant as the design promises: the office's operator ran <c>add-tenant</c> before the platform
/// started (see <see cref="PlatformFixture"/>); the carrier starts the same CaseService as its own process from the
/// handed-over file only, with its own database and broker user. It catches up on the registry it missed, receives a
/// referral from the office and answers it, and the office sees the answer, the reports and the supervision view.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CarrierTenantTests(PlatformFixture fixture, ITestOutputHelper output)
{
    private const string Carrier = PlatformFixture.CarrierTenant;

    [Fact]
    public async Task A_carrier_started_from_the_handed_over_file_catches_up_receives_a_referral_and_is_supervised_by_the_office()
    {
        var settings = ReadEnvFile(fixture.CarrierEnvFile);
        Assert.Equal(Carrier, settings["Tenant__Id"]);
        Assert.Equal("kommune", settings["Tenant__CoordinatingTenant"]);
        Assert.True(Convert.FromBase64String(settings["Tenant__PseudonymKey"]).Length >= 32);
        var brokerUser = Uri.UnescapeDataString(new Uri(settings["ConnectionStrings__messaging"]).UserInfo.Split(':')[0]);
        Assert.StartsWith(ResourceNames.CaseService(Carrier), brokerUser, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fixture.CarrierEnvFile));
        }

        // Registered while the carrier's instance did not yet exist: it must catch up on them.
        using var office = fixture.GatewayClient("kommune", KimRoles.Coordinator, "carrier-test");
        var carrierOrganisation = await RegisterAsync(office, new { name = "AWO Migrationsberatung", type = "Carrier", tenantId = Carrier, legalDomains = new[] { "SgbII", "SgbXII" } });
        var jobcenter = await RegisterAsync(office, new { name = "Jobcenter (Trägertest)", type = "Jobcenter", legalDomains = new[] { "SgbII" } });

        await using var instance = await CarrierInstance.StartAsync(settings, fixture, output);
        output.WriteLine($"the carrier's CaseService was ready {instance.StartupTime.TotalSeconds:0.0} s after its start, as user {brokerUser}");

        // Only the municipal gateway gets to the carrier's API: not over the probe endpoint, not over https without its certificate.
        using (var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.CarrierProbePort}/") })
        {
            using var refused = await probe.GetAsync($"/api/tenants/{Carrier}/cases");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var withoutCertificate = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{fixture.CarrierPort}/"),
        })
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => withoutCertificate.GetAsync($"/api/tenants/{Carrier}/cases"));
        }

        // The carrier's own work, through the municipal gateway: planning with an organisation it learnt by catching up.
        using var carrierCaseManager = fixture.GatewayClient(Carrier, KimRoles.CaseManager, "awo-cm");
        var ownCase = await CaseInServicePlanningAsync(carrierCaseManager, Carrier, "Samir");
        var caughtUp = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            using var planned = await carrierCaseManager.PostAsJsonAsync($"/api/tenants/{Carrier}/cases/{ownCase}/plan-items", new
            {
                title = "Arbeitsvermittlung",
                lifeDomain = "TrainingWork",
                legalDomain = "SgbII",
                responsibleOrganisationId = jobcenter,
                targetDays = 14,
            });
            return planned.IsSuccessStatusCode;
        }, "the carrier's instance to know the jobcenter registered before it started");
        TestFigures.Report(output, "figures.txt",
            $"carrier tenant: own CaseService ready {instance.StartupTime.TotalSeconds:0.0} s after start; registry caught up {caughtUp.Elapsed.TotalSeconds:0.0} s after the first plan");

        // A referral from the office to the carrier, answered there.
        using var officeCaseManager = fixture.GatewayClient("kommune", KimRoles.CaseManager, "office-cm");
        var officeCase = await CaseInServicePlanningAsync(officeCaseManager, "kommune", "Leyla");
        var cases = "/api/tenants/kommune/cases";
        var planItems = await PostAsync(officeCaseManager, $"{cases}/{officeCase}/plan-items", new
        {
            title = "Migrationsberatung",
            lifeDomain = "LivelihoodSecurity",
            legalDomain = "SgbXII",
            responsibleOrganisationId = carrierOrganisation,
            targetDays = 10,
        });
        var item = planItems.GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Migrationsberatung").GetProperty("id").GetGuid();
        await PostAsync(officeCaseManager, $"{cases}/{officeCase}/advance", new { to = "ServiceSteering" });
        var issued = await PostAsync(officeCaseManager, $"{cases}/{officeCase}/referrals", new { planItemId = item, providerOrganisationId = carrierOrganisation, sharePersonalData = false });
        var referral = issued.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("planItemId").GetGuid() == item);
        Assert.Equal(Carrier, referral.GetProperty("providerTenantId").GetString());
        var referralId = referral.GetProperty("id").GetGuid();

        await Eventually.TrueAsync(async () =>
            (await carrierCaseManager.GetAsync($"/api/tenants/{Carrier}/incoming-referrals/{referralId}")).IsSuccessStatusCode, "the referral to reach the carrier's instance");
        await PostAsync(carrierCaseManager, $"/api/tenants/{Carrier}/incoming-referrals/{referralId}/status", new { status = "Accepted" });
        await Eventually.TrueAsync(async () =>
        {
            var current = await officeCaseManager.GetFromJsonAsync<JsonElement>($"{cases}/{officeCase}");
            return current.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == referralId).GetProperty("status").GetString() == "Accepted";
        }, "the office to learn that the carrier accepted");

        // The office's reports count the carrier's case, and its coordinator supervises the carrier pseudonymised.
        await Eventually.TrueAsync(async () =>
        {
            var overview = await office.GetFromJsonAsync<JsonElement>("/api/reports/overview");
            return overview.GetProperty("openCasesByTenant").TryGetProperty(Carrier, out var open) && open.GetInt32() >= 1;
        }, "the carrier's case to reach the office's reports");
        using var supervision = await office.GetAsync($"/api/tenants/{Carrier}/supervision/cases");
        var supervised = await supervision.Content.ReadAsStringAsync();
        Assert.True(supervision.StatusCode == HttpStatusCode.OK, $"supervision view: {(int)supervision.StatusCode} {supervised}");
        var view = JsonDocument.Parse(supervised).RootElement;
        Assert.Equal(Carrier, view.GetProperty("tenant").GetString());
        Assert.Equal(1, view.GetProperty("openCasesByPhase").GetProperty("ServicePlanning").GetInt32());
        Assert.DoesNotContain("Samir", supervised, StringComparison.Ordinal);

        // The carrier's instance keeps its own database, not the platform's.
        Assert.True(File.Exists(instance.DatabaseFile), instance.DatabaseFile);
        Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, ResourceNames.CaseService(Carrier))));
    }

    private static async Task<Guid> RegisterAsync(HttpClient coordinator, object organisation) =>
        (await PostAsync(coordinator, "/api/network/organisations", organisation)).GetProperty("id").GetGuid();

    private static Task<Guid> CaseInServicePlanningAsync(HttpClient caseManager, string tenant, string givenName) =>
        ApiSetup.CaseInServicePlanningAsync(caseManager, tenant, givenName, "Träger" + Guid.NewGuid().ToString("N")[..6]);

    /// <summary>The <c>KEY=value</c> lines of an environment file (comments and blank lines skipped).</summary>
    private static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    /// <summary>The carrier's CaseService as its own process, from the file's settings and its own database.</summary>
    private sealed class CarrierInstance : IAsyncDisposable
    {
        private readonly Process process;
        private readonly OutputTail log;

        private CarrierInstance(Process process, OutputTail log, string databaseFile, TimeSpan startupTime)
        {
            this.process = process;
            this.log = log;
            DatabaseFile = databaseFile;
            StartupTime = startupTime;
        }

        public string DatabaseFile { get; }

        public TimeSpan StartupTime { get; }

        public static async Task<CarrierInstance> StartAsync(Dictionary<string, string> settings, PlatformFixture fixture, ITestOutputHelper output)
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var binary = Path.Combine(RepositoryPaths.Root, "src", "CaseService", "bin", configuration, "net10.0", "Kim.CaseService.dll");
            var machine = Path.Combine(fixture.DataDirectory, "carrier-machine");
            Directory.CreateDirectory(machine);
            var databaseFile = Path.Combine(machine, "casedb.db");
            var start = new ProcessStartInfo("dotnet", [binary])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = machine,
            };
            foreach (var (key, value) in settings)
            {
                start.Environment[key] = value;
            }

            // Only where this machine differs from the carrier's: the database path, and the platform's development sign-in
            // (its provider's metadata on its own port, and the development key the test's tokens are signed with).
            start.Environment["ConnectionStrings__casedb"] = $"Data Source={databaseFile}";
            start.Environment["Authentication__Authority"] = fixture.Platform.Issuer.ToString();
            start.Environment["Authentication__MetadataAddress"] = new Uri(fixture.Platform.Url(ResourceNames.Identity), "identity/.well-known/openid-configuration").ToString();
            start.Environment["Authentication__DevSigningKey"] = fixture.Platform.DevSigningKey;
            start.Environment["Authentication__AllowDevSigningKeyOutsideDevelopment"] = "true";

            // The certificate files the file names under /etc/kim/tls, where this machine keeps them.
            Assert.StartsWith("https://", settings["ASPNETCORE_URLS"], StringComparison.Ordinal);
            start.Environment["Kestrel__Certificates__Default__Path"] = fixture.Certificates.ServerCertificateFile;
            start.Environment["Kestrel__Certificates__Default__KeyPath"] = fixture.Certificates.ServerKeyFile;
            start.Environment["Tenant__Transport__ClientCaFile"] = fixture.Certificates.CaFile;
            start.Environment["Kestrel__Endpoints__Https__Url"] = settings["ASPNETCORE_URLS"];
            start.Environment["Kestrel__Endpoints__Local__Url"] = $"http://127.0.0.1:{fixture.CarrierProbePort}";

            var log = new OutputTail(200);
            var started = Stopwatch.StartNew();
            var process = ChildProcesses.Start(start);
            log.Attach(process);
            var instance = new CarrierInstance(process, log, databaseFile, TimeSpan.Zero);
            // The carrier's own probe endpoint (plain, loopback, health only); the API needs the gateway's certificate.
            using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.CarrierProbePort}/"), Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                await Eventually.TrueAsync(async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"the carrier's CaseService exited with {process.ExitCode}:\n{log}");
                    }

                    try
                    {
                        using var ready = await direct.GetAsync("/health");
                        return ready.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, "the carrier's CaseService to be ready", TimeSpan.FromSeconds(90));
            }
            catch
            {
                output.WriteLine(log.ToString());
                await instance.DisposeAsync();
                throw;
            }

            return new CarrierInstance(process, log, databaseFile, started.Elapsed);
        }

        /// <summary>The process's last console lines (the evidence when a step fails).</summary>
        public string Log => log.ToString();

        public async ValueTask DisposeAsync()
        {
            await ChildProcesses.StopAsync(process, TimeSpan.FromSeconds(10));
            process.Dispose();
        }
    }
}
