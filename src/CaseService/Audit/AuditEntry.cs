using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kim.ServiceDefaults.Security;

namespace Kim.CaseService.Audit;

/// <summary>
/// One read or change of personal data: who (user, role, tenant), what (action on a resource), why (purpose),
/// when. Entries are chained: each stores the hash of its predecessor and its own hash over both, so removing,
/// inserting or editing an entry breaks the chain from there on (<see cref="AuditChain.Verify"/>).
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>1, 2, 3 ... without gaps; assigned when the entry is saved (unique).</summary>
    public long Sequence { get; set; }

    public required DateTime At { get; init; }

    public required string User { get; init; }

    public required string Role { get; init; }

    public required string Tenant { get; init; }

    /// <summary>E.g. <c>case.read</c>, <c>consent.withdrawn</c>.</summary>
    public required string Action { get; init; }

    /// <summary>E.g. <c>case</c>, <c>client</c>, <c>consent</c>.</summary>
    public required string ResourceType { get; init; }

    public required string ResourceId { get; init; }

    /// <summary>Why the data was processed, e.g. <c>case-management</c>, <c>data-protection-audit</c>.</summary>
    public required string Purpose { get; init; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    public static AuditEntry For(ClaimsPrincipal user, string action, string resourceType, string resourceId, string purpose, DateTime nowUtc) => new()
    {
        At = nowUtc,
        User = user.FindFirstValue(KimClaims.Subject) ?? "unknown",
        Role = string.Join(",", user.FindAll(KimClaims.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
        Tenant = user.FindFirstValue(KimClaims.Tenant) ?? "unknown",
        Action = action,
        ResourceType = resourceType,
        ResourceId = resourceId,
        Purpose = purpose,
    };

    /// <summary>An entry written by the service itself (e.g. the retention job).</summary>
    public static AuditEntry BySystem(string tenant, string action, string resourceType, string resourceId, string purpose, DateTime nowUtc) => new()
    {
        At = nowUtc,
        User = "system",
        Role = "system",
        Tenant = tenant,
        Action = action,
        ResourceType = resourceType,
        ResourceId = resourceId,
        Purpose = purpose,
    };
}

/// <summary>The purposes audit entries name.</summary>
public static class AuditPurposes
{
    public const string CaseManagement = "case-management";
    public const string Referral = "referral";
    public const string Planning = "planning";
    public const string DataProtectionAudit = "data-protection-audit";
    public const string Retention = "retention";
    public const string Supervision = "supervision";

    /// <summary>A refused attempt to reach the tenant's data (<see cref="RefusedAccessAudit"/>).</summary>
    public const string AccessControl = "access-control";
}

/// <summary>Result of verifying the chain: the first entry that does not fit, if any.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>The hash chain of the audit log.</summary>
public static class AuditChain
{
    public static string ComputeHash(AuditEntry entry, string previousHash)
    {
        // A JSON array is an unambiguous encoding of the fields (no separator can be forged inside a value).
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            entry.Sequence, entry.At.Ticks, entry.User, entry.Role, entry.Tenant, entry.Action,
            entry.ResourceType, entry.ResourceId, entry.Purpose, previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>Links <paramref name="entry"/> after <paramref name="previous"/> (null for the first entry).</summary>
    public static void Link(AuditEntry entry, AuditEntry? previous)
    {
        entry.Sequence = (previous?.Sequence ?? 0) + 1;
        entry.PreviousHash = previous?.Hash ?? "";
        entry.Hash = ComputeHash(entry, entry.PreviousHash);
    }

    /// <summary>Checks entries in sequence order; stops at the first that does not fit.</summary>
    public static async Task<AuditVerification> Verify(IAsyncEnumerable<AuditEntry> ordered, CancellationToken cancellationToken)
    {
        long checkedCount = 0;
        AuditEntry? previous = null;
        await foreach (var entry in ordered.WithCancellation(cancellationToken))
        {
            var expectedSequence = (previous?.Sequence ?? 0) + 1;
            var expectedPrevious = previous?.Hash ?? "";
            string? problem = null;
            if (entry.Sequence != expectedSequence)
            {
                problem = $"Erwartet war Eintrag {expectedSequence}, gefunden Eintrag {entry.Sequence}: Einträge fehlen.";
            }
            else if (entry.PreviousHash != expectedPrevious)
            {
                problem = "Der Eintrag setzt die Kette nicht fort (der vorherige Hashwert weicht ab).";
            }
            else if (entry.Hash != ComputeHash(entry, entry.PreviousHash))
            {
                problem = "Der Inhalt des Eintrags passt nicht zu seinem Hashwert: Er wurde geändert.";
            }

            if (problem is not null)
            {
                return new AuditVerification(false, checkedCount, entry.Sequence == expectedSequence ? entry.Sequence : expectedSequence, problem);
            }

            checkedCount++;
            previous = entry;
        }

        return new AuditVerification(true, checkedCount, null, null);
    }
}
