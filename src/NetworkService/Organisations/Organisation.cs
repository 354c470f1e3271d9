using Kim.Contracts;

namespace Kim.NetworkService.Organisations;

/// <summary>An organisation in the network registry (Akteur:in).</summary>
public sealed class Organisation
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public OrganisationType Type { get; set; }

    public DateTime RegisteredAt { get; init; }
}
