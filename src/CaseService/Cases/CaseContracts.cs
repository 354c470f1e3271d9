using Kim.Contracts;
using Kim.ServiceDefaults;

namespace Kim.CaseService.Cases;

/// <summary>Opens a case in phase Intake for a new client.</summary>
public sealed record OpenCaseRequest
{
    public ClientRequest? Client { get; init; }

    public Validation Validate(DateOnly today)
    {
        var validation = new Validation();
        if (Client is null)
        {
            return validation.Add("client", "Required.");
        }

        validation.Text("client.givenName", Client.GivenName);
        validation.Text("client.familyName", Client.FamilyName);
        validation.Required("client.birthDate", Client.BirthDate);
        if (Client.BirthDate is { } birthDate)
        {
            validation.That(birthDate <= today, "client.birthDate", "Must not be in the future.");
            validation.That(birthDate >= today.AddYears(-120), "client.birthDate", "Must be within the last 120 years.");
        }

        return validation;
    }
}

/// <summary>The client's personal data.</summary>
public sealed record ClientRequest
{
    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>ISO date, <c>YYYY-MM-DD</c>.</summary>
    public DateOnly? BirthDate { get; init; }
}

public sealed record ClientResponse(string GivenName, string FamilyName, DateOnly BirthDate);

public sealed record CaseResponse(Guid Id, string Tenant, CasePhase Phase, DateTime OpenedAt, ClientResponse Client)
{
    public static CaseResponse From(string tenant, Case value) => new(
        value.Id,
        tenant,
        value.Phase,
        DateTime.SpecifyKind(value.OpenedAt, DateTimeKind.Utc),
        new ClientResponse(value.Client.GivenName, value.Client.FamilyName, value.Client.BirthDate));
}
