using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kim.CaseService.Tenancy;

/// <summary>
/// A CaseService a carrier hosts in its own network: with <c>Tenant:Transport:ClientCaFile</c> (the PEM file of the
/// municipal CA) every https endpoint (Kestrel's <c>Kestrel:Endpoints</c> and <c>Kestrel:Certificates</c>) requires a
/// client certificate that CA issued, so only the municipal gateway gets past the TLS handshake. A plain http endpoint,
/// if the carrier keeps one on the loopback interface for its own probes, then answers <c>/health</c> and <c>/alive</c>
/// only: the API is never served without the gateway's certificate.
/// </summary>
internal static class TransportSecurity
{
    public const string ClientCaFileSetting = TenantOptions.SectionName + ":Transport:ClientCaFile";

    public static void AddTransportSecurity(this IHostApplicationBuilder builder)
    {
        var authorities = TransportCertificates.AuthoritiesOrNull(builder.Configuration[ClientCaFileSetting]);
        if (authorities is null)
        {
            return;
        }

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.ConfigureHttpsDefaults(https => TransportCertificates.RequireClientCertificate(https, authorities)));
        builder.Services.AddSingleton<IStartupFilter, HealthOnlyWithoutTls>();
    }

    private sealed class HealthOnlyWithoutTls : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (!context.Request.IsHttps
                    && !context.Request.Path.Equals(Kim.ServiceDefaults.Extensions.HealthEndpointPath, StringComparison.Ordinal)
                    && !context.Request.Path.Equals(Kim.ServiceDefaults.Extensions.AlivenessEndpointPath, StringComparison.Ordinal))
                {
                    await TypedResults.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Nur über TLS mit Client-Zertifikat",
                        detail: "Dieser CaseService beantwortet Anfragen nur über https mit dem Zertifikat des kommunalen Gateways.",
                        type: ProblemTypes.Forbidden).ExecuteAsync(context);
                    return;
                }

                await nextMiddleware();
            });
            next(app);
        };
    }
}
