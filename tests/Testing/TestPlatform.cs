using System.Net;
using System.Net.Sockets;
using Kim.AppHost;
using Kim.AppHost.Broker;

namespace Kim.Testing;

/// <summary>Platform options for tests that start the whole platform: free ports, a temporary data folder, a quiet console, lifted rate limits.</summary>
public static class TestPlatform
{
    public static PlatformOptions Options(string dataDirectory, params string[] tenants)
    {
        var taken = new List<int>();
        int Next()
        {
            var port = LocalRabbitMqNode.FreePort([.. taken]);
            taken.Add(port);
            return port;
        }

        var options = new PlatformOptions
        {
            Tenants = [.. tenants],
            DataDirectory = dataDirectory,
            GatewayPort = Next(),
            NetworkServicePort = Next(),
            ReportingServicePort = Next(),
            StateReportingServicePort = Next(),
            EchoOutput = false,
            // Tests write faster than a person: lift the gateway's per-user and per-tenant limits.
            Environment = { ["Gateway__PermitsPerUser"] = "100000", ["Gateway__PermitsPerTenant"] = "100000", ["Gateway__PermitsPerAnonymousClient"] = "100000" },
        };

        // The CaseServices take consecutive ports from here.
        options.CaseServiceFirstPort = Next();
        while (Enumerable.Range(options.CaseServiceFirstPort + 1, Math.Max(tenants.Length - 1, 0)).Any(port => taken.Contains(port) || !IsFree(port)))
        {
            options.CaseServiceFirstPort = Next();
        }

        return options;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
