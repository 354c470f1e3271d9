using Kim.CaseService.Audit;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

public sealed record AssessmentRequest
{
    public string? Situation { get; init; }

    public string? Resources { get; init; }

    public string? Needs { get; init; }

    public string? ClientView { get; init; }

    public Validation Validate() => new Validation()
        .Text("situation", Situation, maxLength: 4000).Text("resources", Resources, maxLength: 4000)
        .Text("needs", Needs, maxLength: 4000).Text("clientView", ClientView, maxLength: 4000);
}

public sealed record GoalRequest
{
    public LifeDomain? LifeDomain { get; init; }

    public string? Description { get; init; }

    public DateOnly? TargetDate { get; init; }

    /// <summary>The client agreed to this goal; without it the goal does not enter.</summary>
    public bool? ClientAgreed { get; init; }

    public Validation Validate(DateOnly today) => new Validation()
        .Required("lifeDomain", LifeDomain).Text("description", Description, maxLength: 1000).Required("clientAgreed", ClientAgreed)
        .That(TargetDate is null || TargetDate >= today, "targetDate", "Darf nicht in der Vergangenheit liegen.");
}

public sealed record PlanItemRequest
{
    public string? Title { get; init; }

    public LifeDomain? LifeDomain { get; init; }

    public LegalDomain? LegalDomain { get; init; }

    public Guid? ResponsibleOrganisationId { get; init; }

    public int? TargetDays { get; init; }

    public Guid? GoalId { get; init; }

    public Validation Validate() => new Validation()
        .Text("title", Title, maxLength: 300).Required("lifeDomain", LifeDomain).Required("legalDomain", LegalDomain)
        .Required("responsibleOrganisationId", ResponsibleOrganisationId).Required("targetDays", TargetDays)
        .That(TargetDays is null or (>= 1 and <= 730), "targetDays", "Zwischen 1 und 730.");
}

/// <summary>Builds plan items from an adopted service chain: one per step.</summary>
public sealed record PlanFromChainRequest
{
    public Guid? ChainId { get; init; }

    /// <summary>The adopted version; the newest when omitted.</summary>
    public int? Version { get; init; }

    public Guid? GoalId { get; init; }

    public Validation Validate() => new Validation().Required("chainId", ChainId).That(Version is null or >= 1, "version", "Mindestens 1.");
}

public sealed record DeliveryRequest
{
    public Guid? PlanItemId { get; init; }

    public bool? Delivered { get; init; }

    public DateOnly? RecordedOn { get; init; }

    public string? Note { get; init; }

    public Validation Validate(DateOnly today) => new Validation()
        .Required("planItemId", PlanItemId).Required("delivered", Delivered).Required("recordedOn", RecordedOn)
        .That(RecordedOn is null || RecordedOn <= today, "recordedOn", "Darf nicht in der Zukunft liegen.")
        .Text("note", Note, required: false, maxLength: 2000);
}

public sealed record ReviewRequest
{
    public CaseReviewKind? Kind { get; init; }

    public DateOnly? HeldOn { get; init; }

    public List<OrganisationType>? Participants { get; init; }

    /// <summary>Whether a coordinator took part; a case review needs one.</summary>
    public bool? CoordinatorPresent { get; init; }

    public string? Outcome { get; init; }

    /// <summary>The planned review or conference (a follow-up of that kind) this records; it is then done.</summary>
    public Guid? FollowUpId { get; init; }

    public Validation Validate(DateOnly today) => new Validation()
        .Required("kind", Kind).Required("heldOn", HeldOn)
        .That(HeldOn is null || HeldOn <= today, "heldOn", "Darf nicht in der Zukunft liegen.")
        .That(Participants is { Count: >= 1 and <= 30 }, "participants", "Zwischen 1 und 30 Organisationsarten.")
        .Text("outcome", Outcome, maxLength: 4000);
}

/// <summary>The work inside a case: assessment, goals, service plan, monitoring of delivery, reviews and conferences.</summary>
public static class CaseWorkApi
{
    public static RouteGroupBuilder MapCaseWorkApi(this RouteGroupBuilder tenantApi)
    {
        var cases = tenantApi.MapGroup("/cases/{id:guid}").WithTags("Case work").RequireAuthorization(CasePolicies.CaseWork);
        cases.MapPut("/assessments/{lifeDomain}", Assess);
        cases.MapPost("/goals", AgreeGoal);
        cases.MapPost("/plan-items", AddPlanItem);
        cases.MapPost("/plan-items/from-chain", PlanFromChain);
        cases.MapPost("/deliveries", RecordDelivery);
        cases.MapPost("/reviews", RecordReview);
        return tenantApi;
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Assess(
        string tenant, Guid id, LifeDomain lifeDomain, AssessmentRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanWork(c, CasePhase.Assessment, "Assessment", services.Today) is { } refusal)
            {
                return refusal;
            }

            var assessment = c.Assessments.SingleOrDefault(a => a.LifeDomain == lifeDomain);
            if (assessment is null)
            {
                assessment = new LifeDomainAssessment { Id = Guid.CreateVersion7(), CaseId = c.Id, LifeDomain = lifeDomain };
                services.Db.Assessments.Add(assessment);
            }

            assessment.Situation = request.Situation!.Trim();
            assessment.Resources = request.Resources!.Trim();
            assessment.Needs = request.Needs!.Trim();
            assessment.ClientView = request.ClientView!.Trim();
            assessment.AssessedAt = services.Now;
            services.Audit("assessment.recorded", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> AgreeGoal(
        string tenant, Guid id, GoalRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanAgreeGoal(c, request.ClientAgreed!.Value, services.Today) is { } refusal)
            {
                return refusal;
            }

            var goal = new Goal
            {
                Id = Guid.CreateVersion7(),
                CaseId = c.Id,
                LifeDomain = request.LifeDomain!.Value,
                Description = request.Description!.Trim(),
                TargetDate = request.TargetDate,
                AgreedAt = services.Now,
            };
            services.Db.Goals.Add(goal);
            services.Publish(new GoalAgreed { TenantId = services.TenantId, CaseKey = c.CaseKey, GoalId = goal.Id, LifeDomain = goal.LifeDomain, OccurredAt = services.Now });
            services.Audit("goal.agreed", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> AddPlanItem(
        string tenant, Guid id, PlanItemRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        var organisation = request.ResponsibleOrganisationId is { } organisationId
            ? await services.Db.ProviderOrganisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId, cancellationToken)
            : null;
        validation.That(request.ResponsibleOrganisationId is null || organisation is not null, "responsibleOrganisationId", "Keine Organisation des Netzwerkregisters.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if ((CaseRules.CanWork(c, CasePhase.ServicePlanning, "Die Hilfeplanung", services.Today) ?? GoalRefusal(c, request.GoalId)) is { } refusal)
            {
                return refusal;
            }

            var item = new PlanItem
            {
                Id = Guid.CreateVersion7(),
                CaseId = c.Id,
                Title = request.Title!.Trim(),
                LifeDomain = request.LifeDomain!.Value,
                LegalDomain = request.LegalDomain!.Value,
                ResponsibleOrganisationId = organisation!.Id,
                ResponsibleOrganisationName = organisation.Name,
                TargetDays = request.TargetDays!.Value,
                GoalId = request.GoalId,
                PlannedAt = services.Now,
            };
            services.Db.PlanItems.Add(item);
            services.Audit("plan-item.added", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> PlanFromChain(
        string tenant, Guid id, PlanFromChainRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var versions = services.Db.ServiceChains.AsNoTracking().Where(s => s.ChainId == request.ChainId);
        var chain = request.Version is { } version
            ? await versions.SingleOrDefaultAsync(s => s.Version == version, cancellationToken)
            : await versions.OrderByDescending(s => s.Version).FirstOrDefaultAsync(cancellationToken);
        if (chain is null)
        {
            return CaseProblems.NotFound("Dienstleistungskette nicht beschlossen");
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if ((CaseRules.CanWork(c, CasePhase.ServicePlanning, "Die Hilfeplanung", services.Today) ?? GoalRefusal(c, request.GoalId)) is { } refusal)
            {
                return refusal;
            }

            if (c.PlanItems.Any(p => p.ServiceChainId == chain.ChainId && p.ServiceChainVersion == chain.Version))
            {
                return new Refusal("chain-already-planned", "Kette bereits im Hilfeplan", "Der Hilfeplan enthält die Schritte dieser Version der Dienstleistungskette bereits.");
            }

            foreach (var step in chain.Steps)
            {
                var item = new PlanItem
                {
                    Id = Guid.CreateVersion7(),
                    CaseId = c.Id,
                    Title = step.Activity,
                    LifeDomain = chain.LifeDomain,
                    LegalDomain = step.LegalDomain,
                    ResponsibleOrganisationId = step.ResponsibleOrganisationId,
                    ResponsibleOrganisationName = step.ResponsibleOrganisationName,
                    TargetDays = step.TargetDays,
                    GoalId = request.GoalId,
                    ServiceChainId = chain.ChainId,
                    ServiceChainVersion = chain.Version,
                    ChainStepOrder = step.Order,
                    PlannedAt = services.Now,
                };
                services.Db.PlanItems.Add(item);
            }

            services.Audit("plan.built-from-chain", "case", c.Id, AuditPurposes.CaseManagement);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> RecordDelivery(
        string tenant, Guid id, DeliveryRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (CaseRules.CanWork(c, CasePhase.Monitoring, "Die Leistungserbringung erfassen", services.Today) is { } refusal)
            {
                return refusal;
            }

            if (c.PlanItems.All(p => p.Id != request.PlanItemId))
            {
                return new Refusal("plan-item-unknown", "Hilfeplan-Eintrag unbekannt", "Der Eintrag gehört nicht zum Hilfeplan dieses Falls.");
            }

            var delivery = new ServiceDelivery
            {
                Id = Guid.CreateVersion7(),
                CaseId = c.Id,
                PlanItemId = request.PlanItemId!.Value,
                Delivered = request.Delivered!.Value,
                Note = request.Note?.Trim(),
                RecordedOn = request.RecordedOn!.Value,
                RecordedAt = services.Now,
            };
            services.Db.Deliveries.Add(delivery);
            services.Audit("delivery.recorded", "case", c.Id);
            return null;
        });
    }

    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> RecordReview(
        string tenant, Guid id, ReviewRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var planned = request.FollowUpId is { } followUpId
            ? await services.Db.FollowUps.SingleOrDefaultAsync(f => f.Id == followUpId && f.CaseId == id, cancellationToken)
            : null;
        var plannedKind = request.Kind == CaseReviewKind.Conference ? FollowUpKind.Conference : FollowUpKind.Review;
        if (request.FollowUpId is not null && (planned is null || planned.Kind != plannedKind))
        {
            return new Validation().Add("followUpId", request.Kind == CaseReviewKind.Conference
                ? "Keine geplante Fallkonferenz dieses Falls."
                : "Keine geplante Fallbesprechung dieses Falls.").ToProblem();
        }

        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (planned?.DoneAt is not null)
            {
                return new Refusal("follow-up-done", "Wiedervorlage erledigt", "Diese geplante Besprechung ist bereits erfasst.");
            }

            if (CaseRules.CanHoldReview(c, request.Kind!.Value, request.CoordinatorPresent ?? false, services.Today, request.Participants) is { } refusal)
            {
                return refusal;
            }

            var review = new CaseReview
            {
                Id = Guid.CreateVersion7(),
                CaseId = c.Id,
                Kind = request.Kind!.Value,
                HeldOn = request.HeldOn!.Value,
                Participants = [.. request.Participants!.Distinct()],
                CoordinatorPresent = request.CoordinatorPresent ?? false,
                Outcome = request.Outcome!.Trim(),
                RecordedBy = services.UserId,
            };
            services.Db.Reviews.Add(review);
            if (planned is not null)
            {
                planned.DoneAt = services.Now;
                planned.DoneBy = services.UserId;
                planned.ReviewId = review.Id;
            }

            services.Publish(new CaseReviewHeld
            {
                TenantId = services.TenantId,
                CaseKey = c.CaseKey,
                Kind = review.Kind,
                Participants = review.Participants,
                OccurredAt = services.Now,
            });
            services.Audit(review.Kind == CaseReviewKind.Conference ? "conference.recorded" : "review.recorded", "case", c.Id);
            return null;
        });
    }

    private static Refusal? GoalRefusal(Case c, Guid? goalId) =>
        goalId is { } wanted && c.AgreedGoals.All(g => g.Id != wanted)
            ? new Refusal("goal-unknown", "Ziel unbekannt", "Das Ziel ist kein vereinbartes Ziel dieses Falls.")
            : null;
}
