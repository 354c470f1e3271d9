using Kim.Contracts;

namespace Kim.NetworkService.Organisations;

/// <summary>An organisation in the network registry (Akteur:in).</summary>
public sealed class Organisation
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public OrganisationType Type { get; set; }

    /// <summary>Set when the organisation runs its own CaseService on the platform.</summary>
    public string? TenantId { get; set; }

    public List<LegalDomain> LegalDomains { get; set; } = [];

    public List<Contact> Contacts { get; set; } = [];

    public DateTime RegisteredAt { get; init; }
}

/// <summary>A contact person of an organisation in their role (organisation data, published in the network).</summary>
public sealed record Contact(string Name, string? Function, string? Email, string? Phone);

/// <summary>An offer in the service catalogue (Angebotskatalog).</summary>
public sealed class ServiceOffer
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public LegalDomain LegalDomain { get; set; }

    public LifeDomain LifeDomain { get; set; }

    public string? AccessConditions { get; set; }

    public DateTime CreatedAt { get; init; }
}
