using System.ComponentModel.DataAnnotations;

namespace Kim.CaseService.Tenancy;

/// <summary>Section <c>Tenant</c>: which tenant this CaseService instance serves.</summary>
public sealed class TenantOptions
{
    public const string SectionName = "Tenant";

    /// <summary>Tenant id, the route segment in <c>/api/tenants/{tenant}</c>, e.g. <c>caritas</c>.</summary>
    [Required]
    [RegularExpression("^[a-z][a-z0-9-]{1,39}$")]
    public string Id { get; set; } = "";

    /// <summary>Base64 secret of this tenant for the keyed hash that makes a CaseKey; never leaves the tenant.</summary>
    [Required]
    public string PseudonymKey { get; set; } = "";

    /// <summary>
    /// The tenant of the coordinating office whose coordinators supervise this tenant through the pseudonymised
    /// supervision view (forwarded CM positions); empty when this tenant is the coordinating office or nobody supervises it.
    /// </summary>
    [RegularExpression("^([a-z][a-z0-9-]{1,39})?$")]
    public string CoordinatingTenant { get; set; } = "";

    /// <summary>
    /// Whether the tenant's coordinators read and change every case (default) or, like case managers, only the cases
    /// they are responsible for or deputy of (need to know, see docs/privacy.md).
    /// </summary>
    public bool CoordinatorsSeeAllCases { get; set; } = true;

    public static bool HasUsableKey(TenantOptions options)
    {
        try
        {
            return Convert.FromBase64String(options.PseudonymKey).Length >= 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
