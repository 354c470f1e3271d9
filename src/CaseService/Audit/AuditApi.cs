using Kim.CaseService.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Audit;

public sealed record AuditEntryResponse(
    long Sequence, DateTime At, string User, string Role, string Tenant, string Action, string ResourceType, string ResourceId, string Purpose, string Hash);

/// <summary>The audit log, for the data-protection officer: read it (itself audited) and verify its hash chain.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder tenantApi)
    {
        var audit = tenantApi.MapGroup("/audit").WithTags("Audit log").RequireAuthorization(CasePolicies.AuditRead);
        audit.MapGet("/", List);
        audit.MapGet("/verification", Verify);
        return tenantApi;
    }

    public static async Task<Results<Ok<PagedResponse<AuditEntryResponse>>, ValidationProblem>> List(
        CaseServices services, CancellationToken cancellationToken,
        [FromQuery] string? resourceId = null, [FromQuery] string? user = null, [FromQuery] long after = 0, [FromQuery] int take = 100)
    {
        var validation = new Validation().Text("resourceId", resourceId, required: false, maxLength: 80).Text("user", user, required: false)
            .That(after >= 0, "after", "Darf nicht negativ sein.").That(take is >= 1 and <= 1000, "take", "Zwischen 1 und 1000.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var query = services.Db.AuditEntries.AsNoTracking().Where(a => a.Sequence > after);
        if (resourceId is not null)
        {
            query = query.Where(a => a.ResourceId == resourceId);
        }

        if (user is not null)
        {
            query = query.Where(a => a.User == user);
        }

        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderBy(a => a.Sequence).Take(take).ToListAsync(cancellationToken);
        await services.AuditReadAsync([services.Entry("audit.read", "audit-log", resourceId ?? user ?? "*", AuditPurposes.DataProtectionAudit)], cancellationToken);
        return TypedResults.Ok(new PagedResponse<AuditEntryResponse>(
            [.. page.Select(a => new AuditEntryResponse(a.Sequence, DateTime.SpecifyKind(a.At, DateTimeKind.Utc), a.User, a.Role, a.Tenant, a.Action,
                a.ResourceType, a.ResourceId, a.Purpose, a.Hash))],
            total, 0, take));
    }

    /// <summary>Recomputes the whole chain and names the first entry that was changed, removed or inserted.</summary>
    public static async Task<Ok<AuditVerification>> Verify(CaseServices services, CancellationToken cancellationToken)
    {
        var result = await AuditChain.Verify(services.Db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable(), cancellationToken);
        await services.AuditReadAsync([services.Entry("audit.verified", "audit-log", "*", AuditPurposes.DataProtectionAudit)], cancellationToken);
        return TypedResults.Ok(result);
    }
}
