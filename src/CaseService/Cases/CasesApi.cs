using Kim.CaseService.Audit;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

/// <summary>Opening, reading and listing cases, and moving them through their phases (see docs/state-machine.md).</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder tenantApi)
    {
        var cases = tenantApi.MapGroup("/cases").WithTags("Cases").RequireAuthorization(CasePolicies.CaseWork);
        cases.MapPost("/", OpenCase).WithName("OpenCase");
        cases.MapGet("/{id:guid}", GetCase).WithName("GetCase");
        cases.MapGet("/", ListCases).WithName("ListCases");
        cases.MapPost("/search", SearchCases).WithName("SearchCases");
        cases.MapPut("/{id:guid}/indication", DecideIndication);
        cases.MapPost("/{id:guid}/not-indicated", EndAsNotIndicated);
        cases.MapPost("/{id:guid}/advance", Advance);
        cases.MapPost("/{id:guid}/step-back", StepBack);
        cases.MapPost("/{id:guid}/close", Close);
        cases.MapPost("/{id:guid}/reopen", Reopen);
        return tenantApi;
    }

    public static async Task<Results<Created<CaseResponse>, ValidationProblem, ProblemHttpResult>> OpenCase(
        string tenant, OpenCaseRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = services.Now;
        var input = request.Client!;
        var identity = new ClientIdentity(input.GivenName!.Trim(), input.FamilyName!.Trim(), input.BirthDate!.Value,
            input.Phone?.Trim(), input.Email?.Trim(), input.Address?.Trim());
        var personHash = services.Protector.HashPerson(identity.GivenName, identity.FamilyName, identity.BirthDate);
        if (request.ConfirmDuplicate != true && await services.Db.Clients.AnyAsync(c => c.PersonHash == personHash, cancellationToken))
        {
            return await ClientRecords.PossibleDuplicateAsync(personHash, services, cancellationToken);
        }

        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            BirthYear = identity.BirthDate.Year,
            Languages = input.Languages ?? [],
            ResidenceStatus = input.ResidenceStatus ?? ResidenceStatus.Unknown,
            ArrivalDate = input.ArrivalDate,
        };
        ClientRecords.Protect(client, identity, services.Protector);

        var caseId = Guid.CreateVersion7();
        var opened = new Case
        {
            Id = caseId,
            ClientId = client.Id,
            Client = client,
            CaseKey = services.CaseKeys.For(caseId),
            OpenedAt = now,
            AssignedTo = services.UserId,
            AccessRoute = request.AccessRoute ?? AccessRoute.Unknown,
        };
        services.Db.Clients.Add(client);
        services.Db.Cases.Add(opened);
        services.Publish(new CaseOpened
        {
            OccurredAt = now,
            TenantId = services.TenantId,
            CaseKey = opened.CaseKey,
            AgeBand = AgeBands.Of(identity.BirthDate, services.Today),
            ResidenceCategory = client.ResidenceStatus.ToString(),
            AccessRoute = opened.AccessRoute.ToString(),
        });
        services.Audit("case.opened", "case", opened.Id);
        await services.Db.SaveChangesAsync(cancellationToken);
        services.SetETag(opened);

        return TypedResults.Created($"/api/tenants/{tenant}/cases/{opened.Id}", CaseResponse.From(tenant, opened, identity, now));
    }

    public static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> GetCase(
        string tenant, Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.ReadAsync(id, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound();
        }

        await services.AuditReadAsync("case.read", "case", id, cancellationToken);
        services.SetETag(found);
        return TypedResults.Ok(CaseResponse.From(tenant, found, services.IdentityOf(found.Client), services.Now));
    }

    /// <summary>
    /// Cases for daily work, newest first: <c>mine=true</c> for those the caller is responsible for or deputy of, by
    /// <c>phase</c> and <c>status</c> (default open). Search by name is <c>POST .../cases/search</c>: names never travel in a URL.
    /// </summary>
    public static Task<Results<Ok<PagedResponse<CaseSummary>>, ValidationProblem>> ListCases(
        string tenant, CaseServices services, CancellationToken cancellationToken,
        [FromQuery] bool mine = false, [FromQuery] CasePhase? phase = null, [FromQuery] CaseStatus? status = null,
        [FromQuery] int skip = 0, [FromQuery] int take = 50) =>
        FindAsync(tenant, new CaseSearchRequest { Mine = mine, Phase = phase, Status = status, Skip = skip, Take = take }, services, cancellationToken);

    /// <summary>
    /// Search by the beginning of a name (given or family name, every word must begin a name part; case and accents
    /// do not matter, "Mue" finds "Müller"), through the blind index of keyed prefix hashes, with the list's filters.
    /// </summary>
    public static Task<Results<Ok<PagedResponse<CaseSummary>>, ValidationProblem>> SearchCases(
        string tenant, CaseSearchRequest request, CaseServices services, CancellationToken cancellationToken) =>
        FindAsync(tenant, request, services, cancellationToken);

    private static async Task<Results<Ok<PagedResponse<CaseSummary>>, ValidationProblem>> FindAsync(
        string tenant, CaseSearchRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        var hashes = string.IsNullOrWhiteSpace(request.Name) ? null : services.Protector.SearchHashes(request.Name);
        validation.That(string.IsNullOrWhiteSpace(request.Name) || hashes is not null, "name", "Geben Sie mindestens zwei Buchstaben eines Namens ein.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var query = services.VisibleCases.AsNoTracking().Include(c => c.Client).Where(c => c.Status == (request.Status ?? CaseStatus.Open));
        if (request.Mine == true)
        {
            var user = services.UserId;
            query = query.Where(c => c.AssignedTo == user || c.Deputies.Any(d => d.UserId == user));
        }

        if (request.Phase is { } wanted)
        {
            query = query.Where(c => c.Phase == wanted);
        }

        foreach (var hash in hashes ?? [])
        {
            query = query.Where(c => c.Client.NameTokens.Any(t => t.Hash == hash));
        }

        var skip = request.Skip ?? 0;
        var take = request.Take ?? 50;
        var total = await query.CountAsync(cancellationToken);
        var page = await query.OrderByDescending(c => c.OpenedAt).ThenBy(c => c.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var items = page.Select(c =>
        {
            var identity = services.IdentityOf(c.Client);
            return new CaseSummary(c.Id, tenant, c.Phase, c.Status, ReferralResponse.Utc(c.OpenedAt), c.AssignedTo, identity?.GivenName, identity?.FamilyName);
        }).ToList();

        await services.AuditReadAsync([.. page.Select(listed => services.Entry(hashes is null ? "case.listed" : "case.found", "case", listed.Id.ToString()))], cancellationToken);
        return TypedResults.Ok(new PagedResponse<CaseSummary>(items, total, skip, take));
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> DecideIndication(
        string tenant, Guid id, IndicationRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanDecideIndication(c) is { } refusal)
            {
                return refusal;
            }

            c.Indication = new Indication(request.TargetGroup!.Value, request.WillingToCooperate!.Value, request.CommunicationPossible!.Value, services.Now, services.UserId);
            services.Audit("case.indication-decided", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> EndAsNotIndicated(
        string tenant, Guid id, NotIndicatedRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (request.ReferredToOrganisationId is { } organisationId)
        {
            var organisation = await services.Db.ProviderOrganisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId, cancellationToken);
            if (organisation is null)
            {
                validation.Add("referredToOrganisationId", "Keine Organisation des Netzwerkregisters.");
            }
            else if (request.ReferredToType is { } type && organisation.Type != type)
            {
                validation.Add("referredToOrganisationId", "Die Organisation gehört nicht zur angegebenen Art der Stelle (referredToType).");
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanEndAsNotIndicated(c) is { } refusal)
            {
                return refusal;
            }

            c.Status = CaseStatus.NotIndicated;
            c.NotIndicatedReason = request.Reason!.Trim();
            c.ReferredToType = request.ReferredToType;
            c.ReferredToOrganisationId = request.ReferredToOrganisationId;
            c.ClosedAt = services.Now;
            services.Publish(new CaseNotIndicated { TenantId = services.TenantId, CaseKey = c.CaseKey, ReferredTo = request.ReferredToType, OccurredAt = services.Now });
            services.Audit("case.not-indicated", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Advance(
        string tenant, Guid id, AdvanceRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanAdvance(c, request.To!.Value, services.Today) is { } refusal)
            {
                return refusal;
            }

            services.ChangePhase(c, request.To!.Value, backward: false, reason: null);
            services.Audit("case.advanced", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> StepBack(
        string tenant, Guid id, ReasonRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanStepBack(c) is { } refusal)
            {
                return refusal;
            }

            services.ChangePhase(c, CaseRules.Previous(c.Phase)!.Value, backward: true, reason: request.Reason!.Trim());
            services.Audit("case.stepped-back", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Close(
        string tenant, Guid id, CloseRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var evaluations = (request.Evaluations ?? []).ToDictionary(e => e.GoalId!.Value, e => e.Evaluation!.Value);
        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            var unknown = evaluations.Keys.Where(goalId => c.AgreedGoals.All(g => g.Id != goalId)).ToList();
            if (unknown.Count > 0)
            {
                return new Refusal("goal-unknown", "Ziel unbekannt", $"Kein vereinbartes Ziel dieses Falls: {string.Join(", ", unknown)}.");
            }

            if (CaseRules.CanClose(c, evaluations.Keys.ToHashSet()) is { } refusal)
            {
                return refusal;
            }

            foreach (var goal in c.AgreedGoals)
            {
                goal.Evaluation = evaluations[goal.Id];
            }

            var reason = request.Reason!.Trim();
            services.ChangePhase(c, CasePhase.Closure, backward: false, reason: reason);
            c.Status = CaseStatus.Closed;
            c.ClosureReason = reason;
            c.ClosedAt = services.Now;
            var agreed = c.AgreedGoals.ToList();
            services.Publish(new CaseClosed
            {
                TenantId = services.TenantId,
                CaseKey = c.CaseKey,
                Reason = reason,
                GoalsAgreed = agreed.Count,
                GoalsAchieved = agreed.Count(g => g.Evaluation == GoalEvaluation.Achieved),
                GoalsPartlyAchieved = agreed.Count(g => g.Evaluation == GoalEvaluation.PartlyAchieved),
                DurationDays = (int)(services.Now - c.OpenedAt).TotalDays,
                OccurredAt = services.Now,
            });
            services.Audit("case.closed", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Reopen(
        string tenant, Guid id, ReasonRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanReopen(c, services.Today) is { } refusal)
            {
                return refusal;
            }

            // The case goes on in the phase it was closed from.
            var closedFrom = c.History.Where(h => h.To == CasePhase.Closure).MaxBy(h => h.At)?.From ?? CasePhase.Monitoring;
            c.Status = CaseStatus.Open;
            c.ClosedAt = null;
            c.ClosureReason = null;
            services.ChangePhase(c, closedFrom, backward: true, reason: request.Reason!.Trim());
            services.Audit("case.reopened", "case", c.Id);
            return null;
        });
    }

    /// <summary>Loads the case, applies <paramref name="change"/> (null = allowed and applied), saves, answers the case.</summary>
    internal static Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        string tenant, Guid id, CaseServices services, CancellationToken cancellationToken, Func<Case, Refusal?> change) =>
        ChangeAsync(id, services, found => found, (found, _) => change(found),
            (found, _) => TypedResults.Ok(CaseResponse.From(tenant, found, services.IdentityOf(found.Client), services.Now)), cancellationToken);

    /// <summary>
    /// The one way to change a case or anything in it: loads the case, finds the <paramref name="find"/> part the
    /// change is about (404 <paramref name="notFoundTitle"/> without it), applies <paramref name="change"/> (null =
    /// allowed and applied), saves under the case's version (<c>If-Match</c>, concurrent writers) and answers.
    /// </summary>
    internal static async Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> ChangeAsync<TPart, TAnswer>(
        Guid id, CaseServices services, Func<Case, TPart?> find, Func<Case, TPart, Refusal?> change, Func<Case, TPart, TAnswer> answer,
        CancellationToken cancellationToken, string notFoundTitle = "Fall nicht gefunden")
        where TPart : class
        where TAnswer : IResult
    {
        var found = await services.LoadAsync(id, cancellationToken);
        var part = found is null ? null : find(found);
        if (found is null || part is null)
        {
            return CaseProblems.NotFound(notFoundTitle);
        }

        if (services.CheckIfMatch(found) is { } stale)
        {
            return stale;
        }

        if (change(found, part) is { } refusal)
        {
            return CaseProblems.Refused(refusal);
        }

        if (await services.SaveCaseAsync(found, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return answer(found, part);
    }
}

/// <summary>Authorisation policies of the CaseService (the role matrix is in docs/security.md).</summary>
public static class CasePolicies
{
    /// <summary>Work on cases of the tenant: case managers and coordinators.</summary>
    public const string CaseWork = "case-work";

    /// <summary>Write case reconstructions: coordinators.</summary>
    public const string Reconstruct = "reconstruct";

    /// <summary>The pseudonymised supervision view: coordinators (of this tenant or of the coordinating office).</summary>
    public const string Supervise = "supervise";

    /// <summary>Read and verify the audit log: the data-protection officer.</summary>
    public const string AuditRead = "audit-read";

    /// <summary>Historical import of a site's existing cases (Datenübernahme): the operator and the carrier's administrator.</summary>
    public const string Import = "import";
}
