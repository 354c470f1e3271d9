using System.ComponentModel.DataAnnotations;
using Kim.ServiceDefaults.Security;

namespace Kim.NetworkService;

/// <summary>Settings of the network service (section <c>Network</c>).</summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Network";

    /// <summary>How many case reconstructions must back a working group's theme before it may start a goal system.</summary>
    [Range(1, 1000)]
    public int MinimumReconstructionsForGoalSystem { get; set; } = 3;

    /// <summary>How often expired circular ballots are closed in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CircularSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The tenant of the coordinating office, whose coordinators keep the network's records (set by the platform from
    /// <c>Platform:CoordinatingTenant</c>). Empty (the default): nobody keeps them; the service fails closed.
    /// </summary>
    public string CoordinatingTenant { get; set; } = "";

    /// <summary>Further tenants the coordinating office has explicitly delegated the network's records to (none by default).</summary>
    public string[] DelegatedTenants { get; set; } = [];

    /// <summary>Whether coordinators of <paramref name="tenant"/> keep the network's records (exact, case-sensitive match).</summary>
    public bool Manages(string tenant) => NetworkKeepers.Includes(tenant, CoordinatingTenant, DelegatedTenants);
}

/// <summary>
/// Authorisation policies: coordinators of the coordinating office (and of tenants it delegated to) manage the network
/// (register, plan, table, record meeting votes); coordinators of every tenant propose themes and working groups; steering
/// members cast their own circular votes and objections; people of the platform's roles read (every route requires one of
/// them, see the service defaults' deny-by-default policy).
/// </summary>
public static class NetworkPolicies
{
    public const string Manage = "network-manage";

    public const string Propose = "network-propose";

    public const string Vote = "network-vote";
}
