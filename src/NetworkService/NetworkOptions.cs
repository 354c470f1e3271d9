using System.ComponentModel.DataAnnotations;

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
}

/// <summary>Authorisation policies: coordinators prepare and manage, steering members decide; every signed-in user reads.</summary>
/// <summary>Coordinators prepare and manage (register, plan, table, record meeting votes); steering members cast their own circular votes and objections; every signed-in user reads.</summary>
public static class NetworkPolicies
{
    public const string Manage = "network-manage";

    public const string Vote = "network-vote";
}
