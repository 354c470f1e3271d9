using Kim.Contracts;

namespace Kim.CaseService.Cases;

/// <summary>A person counselled by the tenant. Personal data: never leaves the tenant.</summary>
public sealed class Client
{
    public Guid Id { get; init; }

    public required string GivenName { get; set; }

    public required string FamilyName { get; set; }

    public DateOnly BirthDate { get; set; }
}

/// <summary>A case of one client, with exactly one current phase.</summary>
public sealed class Case
{
    public Guid Id { get; init; }

    public Guid ClientId { get; init; }

    public Client Client { get; init; } = null!;

    /// <summary>Pseudonymous key used in every event about this case.</summary>
    public required string CaseKey { get; init; }

    public CasePhase Phase { get; private set; } = CasePhase.Intake;

    public DateTime OpenedAt { get; init; }

    public static Case Open(Client client, string caseKey, Guid id, DateTime nowUtc) => new()
    {
        Id = id,
        ClientId = client.Id,
        Client = client,
        CaseKey = caseKey,
        OpenedAt = nowUtc,
    };
}
