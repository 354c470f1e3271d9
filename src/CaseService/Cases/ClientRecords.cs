using System.Text.Json;
using Kim.CaseService.Protection;
using Kim.Contracts;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

/// <summary>
/// The client's data after intake: correction with its change history, and the keyed hashes that let the tenant
/// find a client (blind index) and notice a duplicate without storing a name in plain text.
/// </summary>
public static class ClientRecords
{
    public const string DuplicatePrecondition = "possible-duplicate";

    public static RouteGroupBuilder MapClientRecordsApi(this RouteGroupBuilder tenantApi)
    {
        var client = tenantApi.MapGroup("/cases/{id:guid}/client").WithTags("Client data").RequireAuthorization(CasePolicies.CaseWork);
        client.MapPut("/", Correct).WithName("CorrectClient");
        client.MapGet("/history", History).WithName("GetClientHistory");
        return tenantApi;
    }

    /// <summary>Encrypts the identity and (re)writes every hash derived from it.</summary>
    public static void Protect(Client client, ClientIdentity identity, IdentityProtector protector)
    {
        client.ProtectedIdentity = protector.Protect(client.Id, identity);
        client.NameHash = protector.HashName(identity.GivenName, identity.FamilyName);
        client.FamilyNameHash = protector.HashName(identity.FamilyName);
        client.PersonHash = protector.HashPerson(identity.GivenName, identity.FamilyName, identity.BirthDate);
        var tokens = protector.NamePrefixHashes(identity.GivenName, identity.FamilyName);
        client.NameTokens.RemoveAll(t => !tokens.Contains(t.Hash));
        foreach (var hash in tokens.Except(client.NameTokens.Select(t => t.Hash)))
        {
            client.NameTokens.Add(new ClientNameToken { ClientId = client.Id, Hash = hash });
        }
    }

    /// <summary>
    /// 409 <c>possible-duplicate</c>: a client with the same normalised name and birth date exists. The answer names
    /// the cases the caller may see; the intake goes on only with <c>confirmDuplicate: true</c>.
    /// </summary>
    public static async Task<ProblemHttpResult> PossibleDuplicateAsync(string personHash, CaseServices services, CancellationToken cancellationToken)
    {
        var visible = await services.VisibleCases.AsNoTracking()
            .Where(c => c.Client.PersonHash == personHash).OrderByDescending(c => c.OpenedAt).Select(c => c.Id).Take(20).ToListAsync(cancellationToken);
        var refusal = new Refusal(DuplicatePrecondition, "Möglicherweise schon erfasst",
            "Es gibt bereits eine Person mit gleichem Namen und Geburtsdatum. Prüfen Sie, ob es dieselbe Person ist; "
            + "ist es eine andere, bestätigen Sie die Aufnahme.");
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: refusal.Title,
            detail: refusal.Detail,
            type: refusal.Type,
            extensions: new Dictionary<string, object?> { ["precondition"] = refusal.Code, ["visibleCases"] = visible });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Correct(
        string tenant, Guid id, ClientCorrectionRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = new OpenCaseRequest { Client = request.Client }.Validate(services.Today).Text("reason", request.Reason, required: false, maxLength: 1000);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        // The blind index is rewritten: the client's tokens are tracked first, so unchanged ones stay and only the rest change.
        var clientId = await services.VisibleCases.Where(c => c.Id == id).Select(c => (Guid?)c.ClientId).SingleOrDefaultAsync(cancellationToken);
        await services.Db.ClientNameTokens.Where(t => t.ClientId == clientId).LoadAsync(cancellationToken);
        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (c.Client.ProtectedIdentity is null)
            {
                return Refusal.Anonymised();
            }

            var before = Snapshot.Of(c.Client, services.IdentityOf(c.Client)!);
            var input = request.Client!;
            var identity = new ClientIdentity(input.GivenName!.Trim(), input.FamilyName!.Trim(), input.BirthDate!.Value,
                input.Phone?.Trim(), input.Email?.Trim(), input.Address?.Trim());
            var after = new Snapshot(identity.GivenName, identity.FamilyName, identity.BirthDate, identity.Phone, identity.Email, identity.Address,
                input.Languages ?? [], input.ResidenceStatus ?? ResidenceStatus.Unknown, input.ArrivalDate);
            var changed = before.ChangedFields(after);
            if (changed.Count == 0)
            {
                return null;
            }

            var change = new ClientChange
            {
                Id = Guid.CreateVersion7(),
                ClientId = c.ClientId,
                CaseId = c.Id,
                Fields = changed,
                Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
                At = services.Now,
                By = services.UserId,
            };
            change.ProtectedPrevious = services.Protector.ProtectText(change.Id, JsonSerializer.Serialize(before.Only(changed), JsonSerializerOptions.Web));
            services.Db.ClientChanges.Add(change);

            Protect(c.Client, identity, services.Protector);
            c.Client.BirthYear = identity.BirthDate.Year;
            c.Client.Languages = after.Languages;
            c.Client.ResidenceStatus = after.ResidenceStatus;
            c.Client.ArrivalDate = after.ArrivalDate;
            services.Audit("client.corrected", "client", c.ClientId);
            return null;
        });
    }

    public static async Task<Results<Ok<ClientChangeResponse[]>, ProblemHttpResult>> History(Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.VisibleCases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound();
        }

        var changes = await services.Db.ClientChanges.AsNoTracking().Where(c => c.ClientId == found.ClientId).OrderBy(c => c.At).ToListAsync(cancellationToken);
        await services.AuditReadAsync("client.history-read", "client", found.ClientId, cancellationToken);
        return TypedResults.Ok(changes.Select(c => new ClientChangeResponse(
            ReferralResponse.Utc(c.At), c.By, c.Fields, c.Reason,
            c.ProtectedPrevious is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(services.Protector.UnprotectText(c.Id, c.ProtectedPrevious), JsonSerializerOptions.Web)))
            .ToArray());
    }

    /// <summary>The correctable values of a client, to compare and to keep as the former values.</summary>
    private sealed record Snapshot(
        string GivenName, string FamilyName, DateOnly BirthDate, string? Phone, string? Email, string? Address,
        List<string> Languages, ResidenceStatus ResidenceStatus, DateOnly? ArrivalDate)
    {
        public static Snapshot Of(Client client, ClientIdentity identity) => new(identity.GivenName, identity.FamilyName, identity.BirthDate,
            identity.Phone, identity.Email, identity.Address, [.. client.Languages], client.ResidenceStatus, client.ArrivalDate);

        public List<string> ChangedFields(Snapshot other)
        {
            var fields = new List<string>();
            void Compare(string name, object? a, object? b)
            {
                if (!Equals(a, b))
                {
                    fields.Add(name);
                }
            }

            Compare("givenName", GivenName, other.GivenName);
            Compare("familyName", FamilyName, other.FamilyName);
            Compare("birthDate", BirthDate, other.BirthDate);
            Compare("phone", Phone, other.Phone);
            Compare("email", Email, other.Email);
            Compare("address", Address, other.Address);
            Compare("languages", string.Join(',', Languages), string.Join(',', other.Languages));
            Compare("residenceStatus", ResidenceStatus, other.ResidenceStatus);
            Compare("arrivalDate", ArrivalDate, other.ArrivalDate);
            return fields;
        }

        public Dictionary<string, object?> Only(IReadOnlyCollection<string> fields)
        {
            var all = new Dictionary<string, object?>
            {
                ["givenName"] = GivenName,
                ["familyName"] = FamilyName,
                ["birthDate"] = BirthDate,
                ["phone"] = Phone,
                ["email"] = Email,
                ["address"] = Address,
                ["languages"] = Languages,
                ["residenceStatus"] = ResidenceStatus.ToString(),
                ["arrivalDate"] = ArrivalDate,
            };
            return all.Where(f => fields.Contains(f.Key)).ToDictionary();
        }
    }
}

/// <summary>A correction of the client's data: the whole record as it should be now, and why.</summary>
public sealed record ClientCorrectionRequest
{
    public ClientRequest? Client { get; init; }

    public string? Reason { get; init; }
}

/// <summary>One correction: when, by whom, which fields, why, and the former values of those fields.</summary>
public sealed record ClientChangeResponse(DateTime At, string By, IReadOnlyList<string> Fields, string? Reason, IReadOnlyDictionary<string, JsonElement>? Previous);
