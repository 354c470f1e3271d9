namespace Kim.Hosting.Broker;

/// <summary>
/// A node that speaks AMQP over TLS only (<c>listeners.tcp = none</c>): its certificate and key, and the CA whose
/// client certificates it accepts (<c>verify_peer</c>); with <paramref name="RequireClientCertificate"/> a client
/// without one is refused at the handshake (<c>fail_if_no_peer_cert</c>). The files are PEM; the key file must be
/// readable by the user the node runs as and by no one else.
/// </summary>
public sealed record RabbitMqTlsListener(string CaCertFile, string CertFile, string KeyFile, bool RequireClientCertificate)
{
    /// <summary>Appends the listener's settings to the node's <c>rabbitmq.conf</c>.</summary>
    public void AppendConfiguration(string configurationFile, int port) => File.AppendAllLines(configurationFile, [
        "listeners.tcp = none",
        $"listeners.ssl.default = 127.0.0.1:{port}",
        $"ssl_options.cacertfile = {Path.GetFullPath(CaCertFile)}",
        $"ssl_options.certfile = {Path.GetFullPath(CertFile)}",
        $"ssl_options.keyfile = {Path.GetFullPath(KeyFile)}",
        "ssl_options.verify = verify_peer",
        $"ssl_options.fail_if_no_peer_cert = {(RequireClientCertificate ? "true" : "false")}",
        "ssl_options.versions.1 = tlsv1.3",
        "ssl_options.versions.2 = tlsv1.2",
    ]);
}
