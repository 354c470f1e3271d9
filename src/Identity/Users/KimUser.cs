using Microsoft.AspNetCore.Identity;

namespace Kim.Identity.Users;

/// <summary>A person who signs in. Belongs to exactly one tenant (the ministry's users to <see cref="StateTenant"/>).</summary>
public sealed class KimUser : IdentityUser
{
    /// <summary>The tenant of the state ministry's users (Landesebene).</summary>
    public const string StateTenant = "land";

    public required string Tenant { get; set; }

    /// <summary>The name shown to colleagues, e.g. "Anna Schmidt".</summary>
    public required string DisplayName { get; set; }

    /// <summary>A disabled user cannot sign in and gets no new tokens; the account and its history stay.</summary>
    public bool Disabled { get; set; }
}
