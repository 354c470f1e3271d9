using System.Security.Claims;
using Kim.WebApp.Clients.CaseService;
using Kim.WebApp.SignIn;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;

namespace Kim.WebApp.Api;

/// <summary>The consent receipt (ISO/IEC TS 27560 style, JSON) as a file to keep or hand to the person.</summary>
public static class ConsentReceipts
{
    public static void MapConsentReceipts(this WebApplication app) =>
        app.MapGet("/faelle/{caseId:guid}/einwilligungen/{consentId:guid}/quittung", async (Guid caseId, Guid consentId, ClaimsPrincipal user, CaseServiceClient api, CancellationToken cancellationToken) =>
        {
            var problem = default(Problem);
            byte[]? content = null;
            problem = await Problem.Of(async () =>
            {
                var receipt = await api.Api.Tenants[user.Tenant()].Cases[caseId].Consents[consentId].Receipt.GetAsync(cancellationToken: cancellationToken);
                using var writer = new JsonSerializationWriter();
                writer.WriteObjectValue(null, receipt);
                using var stream = writer.GetSerializedContent();
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory, cancellationToken);
                content = memory.ToArray();
            });
            return content is null
                ? Results.Problem(statusCode: problem?.Status ?? 404, title: problem?.Title ?? "Nicht gefunden", detail: problem?.Guidance)
                : Results.File(content, "application/json", $"einwilligung-{consentId}.json");
        });
}
