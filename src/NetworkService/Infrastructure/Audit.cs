using System.Security.Claims;
using Kim.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Infrastructure;

/// <summary>Append-only record of who decided or changed what in the network, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public required DateTime At { get; init; }

    public required string User { get; init; }

    public required string Role { get; init; }

    public required string Action { get; init; }

    public required Guid SubjectId { get; init; }

    public string? Detail { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.User).HasMaxLength(200);
        builder.Property(a => a.Role).HasMaxLength(60);
        builder.Property(a => a.Action).HasMaxLength(80);
        builder.Property(a => a.Detail).HasMaxLength(400);
        builder.HasIndex(a => a.SubjectId);
    }
}

internal static class AuditExtensions
{
    public static string UserId(this ClaimsPrincipal user) => user.FindFirstValue(KimClaims.Subject) ?? "unknown";

    /// <summary>Queues an audit row; it is saved with the change it describes.</summary>
    public static void Audit(this NetworkDbContext db, ClaimsPrincipal user, string action, Guid subjectId, DateTime now, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            User = user.UserId(),
            Role = string.Join(",", user.FindAll(KimClaims.Role).Select(c => c.Value)),
            Action = action,
            SubjectId = subjectId,
            Detail = detail is { Length: > 400 } ? detail[..400] : detail,
        });
}
