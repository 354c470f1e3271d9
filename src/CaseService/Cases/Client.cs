using Kim.Contracts;

namespace Kim.CaseService.Cases;

/// <summary>
/// A person counselled by the tenant. The identifying fields live only in <see cref="ProtectedIdentity"/>, encrypted
/// with the tenant's key; the hashes allow exact-match search by name without decrypting. Never leaves the tenant
/// except by a consented referral.
/// </summary>
public sealed class Client
{
    public Guid Id { get; init; }

    /// <summary>AES-GCM ciphertext of <see cref="ClientIdentity"/>; null once anonymised.</summary>
    public string? ProtectedIdentity { get; set; }

    /// <summary>Keyed hash of the normalised full name ("given family"); null once anonymised.</summary>
    public string? NameHash { get; set; }

    /// <summary>Keyed hash of the normalised family name; null once anonymised.</summary>
    public string? FamilyNameHash { get; set; }

    /// <summary>Keyed hash of normalised name and birth date: the duplicate check at intake; null once anonymised.</summary>
    public string? PersonHash { get; set; }

    /// <summary>The blind index for search by the beginning of a name; emptied once anonymised.</summary>
    public List<ClientNameToken> NameTokens { get; init; } = [];

    /// <summary>Birth year, kept after anonymisation for the age band.</summary>
    public int BirthYear { get; set; }

    public List<string> Languages { get; set; } = [];

    public ResidenceStatus ResidenceStatus { get; set; }

    public DateOnly? ArrivalDate { get; set; }

    public DateTime? AnonymisedAt { get; set; }
}

/// <summary>The identifying data of a client, as stored encrypted.</summary>
public sealed record ClientIdentity(string GivenName, string FamilyName, DateOnly BirthDate, string? Phone, string? Email, string? Address);
