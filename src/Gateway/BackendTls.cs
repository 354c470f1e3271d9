using System.Security.Cryptography.X509Certificates;
using Kim.ServiceDefaults.Security;

namespace Kim.Gateway;

/// <summary>
/// How the gateway reaches services over https, above all a CaseService a carrier hosts in its own network (section
/// <c>Gateway:Backends</c>): <c>CaFile</c>, the PEM file of the CA (or CAs, during a rotation) that must have issued
/// the service's certificate, trusted instead of the system store; <c>ClientCertificateFile</c> and
/// <c>ClientKeyFile</c>, the gateway's own PEM client certificate, which the carrier's instance requires. A service
/// whose certificate fails the check gets no request: the caller receives 502.
/// </summary>
internal static class BackendTls
{
    public const string SectionName = "Gateway:Backends";

    public static IReverseProxyBuilder AddBackendTls(this IReverseProxyBuilder proxy, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var authorities = TransportCertificates.AuthoritiesOrNull(section["CaFile"]);
        var clientCertificate = TransportCertificates.ClientCertificateOrNull(section["ClientCertificateFile"], section["ClientKeyFile"], SectionName);
        if (authorities is null && clientCertificate is null)
        {
            return proxy;
        }

        var validation = TransportCertificates.ServerValidation(authorities);
        return proxy.ConfigureHttpClient((_, handler) =>
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validation;
            if (clientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
                handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
            }
        });
    }
}
