using System.Text.RegularExpressions;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;

namespace Kim.Hosting.Broker;

/// <summary>RabbitMQ permission patterns (regular expressions on exchange and queue names) of one broker user.</summary>
public sealed record BrokerPermissions(string Configure, string Write, string Read);

/// <summary>
/// One broker user per service instance, with the least rights its topology needs. Exchanges are named after
/// event types (<c>Kim.Contracts.Cases:CaseOpened</c>), queues and their exchanges after the instance
/// (<c>caseservice-caritas-...</c>). A tenant's CaseService may publish case events and read only its own queues
/// and the network-wide broadcast exchanges (<c>Kim.Contracts.Network:*</c>): it cannot consume another tenant's
/// queue, nor bind a queue to a case-event exchange, because both need read permission it does not have.
/// </summary>
public static class BrokerAccess
{
    private const string CaseEvents = @"Kim\.Contracts\.Cases:.*";
    private const string NetworkEvents = @"Kim\.Contracts\.Network:.*";
    private const string AllEvents = @"Kim\.Contracts\.[A-Za-z]+:.*";

    /// <summary>
    /// A CaseService's request for a snapshot of the network (catch-up at start): only CaseServices write it, only
    /// NetworkService reads it. Its namespace has a dot more, so neither <see cref="NetworkEvents"/> nor <see cref="AllEvents"/> match it.
    /// </summary>
    private const string SnapshotRequests = @"Kim\.Contracts\.Network\.Requests:NetworkSnapshotRequested";

    /// <summary>Every tenant's referral exchange (<c>kim.referrals.{tenant}</c>): any tenant may send a referral to any other.</summary>
    private const string ReferralExchanges = @"kim\.referrals\.[a-z][a-z0-9-]*";

    /// <summary>MassTransit's own temporary, exclusive reply queue (<c>host_process_bus_id</c>).</summary>
    private const string BusQueue = @"[^:]*_bus_[a-z0-9]+";

    public static BrokerPermissions For(string resource)
    {
        var own = Regex.Escape(resource) + "-.*";
        if (resource.StartsWith(ResourceNames.CaseService(""), StringComparison.Ordinal))
        {
            // Referrals between tenants: send to any tenant's referral exchange, bind (read) only its own.
            var ownReferrals = Regex.Escape(Kim.Contracts.Referrals.TenantMessage.ExchangeOf(resource[ResourceNames.CaseService("").Length..]));
            return new BrokerPermissions(
                Configure: Any(own, BusQueue, CaseEvents, NetworkEvents, ReferralExchanges, SnapshotRequests),
                Write: Any(own, BusQueue, CaseEvents, ReferralExchanges, SnapshotRequests),
                Read: Any(own, BusQueue, NetworkEvents, ownReferrals));
        }

        return resource switch
        {
            ResourceNames.NetworkService => new BrokerPermissions(
                Configure: Any(own, BusQueue, NetworkEvents, @"Kim\.Contracts\.Cases:CaseReconstructionSubmitted", SnapshotRequests),
                Write: Any(own, BusQueue, NetworkEvents),
                Read: Any(own, BusQueue, @"Kim\.Contracts\.Cases:CaseReconstructionSubmitted", SnapshotRequests)),
            ResourceNames.ReportingService or ResourceNames.StateReportingService => new BrokerPermissions(
                Configure: Any(own, BusQueue, AllEvents),
                Write: Any(own, BusQueue),
                Read: Any(own, BusQueue, AllEvents)),
            _ => throw new ArgumentException($"No broker access is defined for '{resource}'.", nameof(resource)),
        };
    }

    /// <summary>The broker user of <paramref name="resource"/> in <paramref name="virtualHost"/> (users are broker-wide, so the name carries the virtual host).</summary>
    public static string UserName(string resource, string virtualHost) => virtualHost == "/" ? resource : $"{resource}.{virtualHost}";

    /// <summary>Creates (or updates) the user of <paramref name="resource"/> with its rights and returns its connection URI.</summary>
    public static async Task<Uri> ProvisionAsync(BrokerEndpoint broker, string virtualHost, string resource, string password, CancellationToken cancellationToken = default)
    {
        using var management = new RabbitMqManagementClient(broker.ManagementUri);
        var user = UserName(resource, virtualHost);
        var rights = For(resource);
        await management.CreateUserAsync(user, password, cancellationToken: cancellationToken);
        await management.SetPermissionsAsync(virtualHost, user, rights.Configure, rights.Write, rights.Read, cancellationToken);
        return broker.ForVirtualHost(virtualHost, user, password);
    }

    private static string Any(params string[] patterns) => "^(" + string.Join("|", patterns) + ")$";
}
