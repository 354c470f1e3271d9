using System.Net;
using System.Net.Sockets;
using Kim.Hosting.Broker;

namespace Kim.UnitTests;

/// <summary>Ports for test platforms and local broker nodes: free, outside the range outgoing connections take, never one already taken.</summary>
public sealed class FreePortTests
{
    [Fact]
    public void A_free_port_lies_below_the_ephemeral_range_and_skips_the_taken_and_the_listened_on()
    {
        using var busy = new TcpListener(IPAddress.Loopback, LocalRabbitMqNode.FreePort());
        busy.Start();
        var listenedOn = ((IPEndPoint)busy.LocalEndpoint).Port;
        var taken = Enumerable.Range(LocalRabbitMqNode.FirstListeningPort, 6000).ToArray();

        var ports = Enumerable.Range(0, 200).Select(_ => LocalRabbitMqNode.FreePort(taken)).ToList();

        Assert.All(ports, port => Assert.InRange(port, LocalRabbitMqNode.FirstListeningPort + 6000, LocalRabbitMqNode.LastListeningPort));
        Assert.DoesNotContain(listenedOn, ports);
    }

    [Fact]
    public void Consecutive_ports_are_all_free_and_none_is_taken()
    {
        var first = LocalRabbitMqNode.FreeConsecutivePorts(3);
        var taken = new[] { first + 1 };

        var next = LocalRabbitMqNode.FreeConsecutivePorts(3, taken);

        Assert.DoesNotContain(first + 1, Enumerable.Range(next, 3));
        foreach (var port in Enumerable.Range(next, 3))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
