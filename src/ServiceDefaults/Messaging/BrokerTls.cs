using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Kim.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// TLS to the broker for an <c>amqps</c> connection (section <c>Messaging:Tls</c>): <c>CaFile</c>, the PEM file of the
/// CA (or CAs, during a rotation) that must have issued the broker's certificate, trusted instead of the system store;
/// <c>ClientCertificateFile</c> and <c>ClientKeyFile</c>, the PEM client certificate and its key when the broker
/// requires one; <c>ServerName</c>, the name the broker's certificate must carry when it is not the URI's host (one
/// common name for every node of a cluster). The check fails closed: a certificate with any error is refused, also
/// where RabbitMQ.Client (name mismatch) or MassTransit (chain errors) would accept one by default.
/// </summary>
public sealed class BrokerTls
{
    public const string SectionName = "Messaging:Tls";

    private readonly TrustedCertificateAuthorities? authorities;
    private readonly X509Certificate2? clientCertificate;

    public BrokerTls(string? caFile = null, string? clientCertificateFile = null, string? clientKeyFile = null, string? serverName = null)
    {
        authorities = TransportCertificates.AuthoritiesOrNull(caFile);
        clientCertificate = TransportCertificates.ClientCertificateOrNull(clientCertificateFile, clientKeyFile, SectionName);
        ServerName = string.IsNullOrWhiteSpace(serverName) ? null : serverName.Trim();
    }

    /// <summary>The name the broker's certificate must carry; null means the host of each node.</summary>
    public string? ServerName { get; }

    /// <summary>Whether any setting of the section is present.</summary>
    public bool IsConfigured => authorities is not null || clientCertificate is not null || ServerName is not null;

    public static BrokerTls FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new BrokerTls(section["CaFile"], section["ClientCertificateFile"], section["ClientKeyFile"], section["ServerName"]);
    }

    /// <summary>The server certificate check (only the configured CA when set, else the system store; no error accepted).</summary>
    public bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        authorities is null ? errors == SslPolicyErrors.None : authorities.ValidateServer(certificate, chain, errors);

    /// <summary>RabbitMQ.Client's TLS options for a connection to <paramref name="host"/>.</summary>
    public SslOption CreateOption(string host)
    {
        var option = new SslOption(ServerName ?? host, enabled: true)
        {
            AcceptablePolicyErrors = SslPolicyErrors.None,
            CertificateValidationCallback = ValidateServer,
        };
        if (clientCertificate is not null)
        {
            option.Certs = [clientCertificate];
            option.CertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return option;
    }

    /// <summary>The same for MassTransit's host (its defaults would accept any chain).</summary>
    public void Apply(IRabbitMqSslConfigurator ssl, string host)
    {
        ssl.ServerName = ServerName ?? host;
        ssl.Protocol = SslProtocols.None;
        ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
        ssl.CertificateValidationCallback = ValidateServer;
        if (clientCertificate is not null)
        {
            ssl.Certificate = clientCertificate;
            ssl.CertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
    }
}
