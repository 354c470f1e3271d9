using System.Text.RegularExpressions;

namespace Kim.ServiceDefaults;

/// <summary>Tenant names: 2-32 lower-case letters, digits or '-', starting with a letter and not ending with '-'.</summary>
public static partial class TenantNames
{
    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string tenant) => Pattern().IsMatch(tenant) && !tenant.EndsWith('-');
}
