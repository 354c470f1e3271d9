using BenchmarkDotNet.Attributes;
using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.CaseService.Referrals;
using Kim.Contracts;

namespace Kim.DomainBench;

/// <summary>
/// Requests to the case state machine (<see cref="CaseRules"/>) over 500 cases in every phase, with the content a case
/// gathers on its way (assessments, goals, plan items, referrals, consents given, expired and for other purposes): six in
/// ten ask for the next phase (a phase transition, or the closure after monitoring), the rest step back, work on the case,
/// hold a case review, close or reopen. 1,000 requests against 10,000.
/// </summary>
[MemoryDiagnoser]
public class CaseRulesBenchmarks
{
    private static readonly DateOnly Today = new(2026, 11, 30);
    private Request[] thousand = [];
    private Request[] tenThousand = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        var cases = Enumerable.Range(0, 500).Select(i => CaseOf(random, i)).ToArray();
        thousand = Requests(random, cases, 1_000);
        tenThousand = Requests(random, cases, 10_000);
    }

    [Benchmark(Baseline = true, Description = "caserules-1000")]
    public int Thousand() => Evaluate(thousand);

    [Benchmark(Description = "caserules-10000")]
    public int TenThousand() => Evaluate(tenThousand);

    private static int Evaluate(Request[] requests)
    {
        var refused = 0;
        foreach (var (@case, kind) in requests)
        {
            var refusal = kind switch
            {
                RequestKind.Advance => CaseRules.CanAdvance(@case, CaseRules.Next(@case.Phase) ?? CasePhase.Closure, Today),
                RequestKind.StepBack => CaseRules.CanStepBack(@case),
                RequestKind.Work => CaseRules.CanWork(@case, CasePhase.ServicePlanning, "Einen Plan ergänzen", Today),
                RequestKind.Review => CaseRules.CanHoldReview(@case, CaseReviewKind.Review, true, Today, [OrganisationType.MunicipalOffice, OrganisationType.Jobcenter]),
                RequestKind.Close => CaseRules.CanClose(@case, @case.Goals.Where(g => g.Evaluation is not null).Select(g => g.Id).ToHashSet()),
                _ => CaseRules.CanReopen(@case, Today),
            };
            refused += refusal is null ? 0 : 1;
        }

        return refused;
    }

    private static Request[] Requests(Random random, Case[] cases, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new Request(cases[random.Next(cases.Length)], random.Next(20) switch
        {
            < 12 => RequestKind.Advance,
            < 14 => RequestKind.StepBack,
            < 16 => RequestKind.Work,
            < 18 => RequestKind.Review,
            18 => RequestKind.Close,
            _ => RequestKind.Reopen,
        }))];

    /// <summary>A case in a phase drawn by how long cases stay there, holding what the phases before it gathered.</summary>
    private static Case CaseOf(Random random, int index)
    {
        CasePhase[] phases = [CasePhase.Intake, CasePhase.Assessment, CasePhase.GoalAgreement, CasePhase.ServicePlanning, CasePhase.ServiceSteering, CasePhase.Monitoring];
        var phase = phases[Math.Min(random.Next(8), phases.Length - 1)];
        var status = random.Next(20) switch { 0 => CaseStatus.Closed, 1 when phase == CasePhase.Intake => CaseStatus.NotIndicated, _ => CaseStatus.Open };
        var @case = new Case
        {
            Id = Guid.CreateVersion7(),
            CaseKey = $"case-{index}",
            AssignedTo = "case-manager",
            Client = new Client { Id = Guid.CreateVersion7() },
            Phase = phase,
            Status = status,
            Indication = random.Next(10) == 0 ? null : new Indication(true, random.Next(10) > 0, true, DateTime.UtcNow, "case-manager"),
        };

        // Consents: an expired earlier one, the current one (mostly given), and for later phases conference and transfer consents.
        @case.Consents.Add(Consent(ConsentPurpose.CaseManagement, ConsentStatus.Given, Today.AddYears(-1)));
        @case.Consents.Add(Consent(ConsentPurpose.CaseManagement, random.Next(10) == 0 ? ConsentStatus.Requested : ConsentStatus.Given, Today.AddMonths(random.Next(1, 13))));
        if (CaseRules.IsAtLeast(phase, CasePhase.Assessment))
        {
            @case.Consents.Add(Consent(ConsentPurpose.CaseConference, random.Next(2) == 0 ? ConsentStatus.Given : ConsentStatus.Withdrawn, Today.AddMonths(6)));
            foreach (var domain in Enum.GetValues<LifeDomain>().OrderBy(_ => random.Next()).Take(random.Next(2, 6)))
            {
                @case.Assessments.Add(new LifeDomainAssessment
                {
                    Id = Guid.CreateVersion7(),
                    LifeDomain = domain,
                    Situation = "Situation",
                    Resources = "Ressourcen",
                    Needs = "Bedarf",
                    ClientView = random.Next(5) == 0 ? null : "Sicht der Klientin",
                });
            }
        }

        if (CaseRules.IsAtLeast(phase, CasePhase.GoalAgreement))
        {
            foreach (var assessment in @case.Assessments)
            {
                @case.Goals.Add(new Goal
                {
                    Id = Guid.CreateVersion7(),
                    LifeDomain = assessment.LifeDomain,
                    Description = "Ziel",
                    AgreedAt = random.Next(6) == 0 ? null : DateTime.UtcNow,
                    Evaluation = phase == CasePhase.Monitoring && random.Next(2) == 0 ? GoalEvaluation.Achieved : null,
                });
            }
        }

        if (CaseRules.IsAtLeast(phase, CasePhase.ServicePlanning))
        {
            foreach (var goal in @case.Goals.Where(g => g.AgreedAt is not null))
            {
                @case.PlanItems.Add(new PlanItem
                {
                    Id = Guid.CreateVersion7(),
                    Title = "Leistung",
                    LifeDomain = goal.LifeDomain,
                    ResponsibleOrganisationId = Guid.CreateVersion7(),
                    ResponsibleOrganisationName = "Träger",
                    TargetDays = 30,
                    GoalId = goal.Id,
                });
            }
        }

        if (CaseRules.IsAtLeast(phase, CasePhase.ServiceSteering))
        {
            foreach (var item in @case.PlanItems)
            {
                @case.Consents.Add(Consent(ConsentPurpose.DataTransferToProvider, ConsentStatus.Given, Today.AddMonths(6)));
                @case.Referrals.Add(new Referral
                {
                    Id = Guid.CreateVersion7(),
                    PlanItemId = item.Id,
                    ProviderOrganisationId = item.ResponsibleOrganisationId,
                    ProviderOrganisationName = "Träger",
                    ProviderType = OrganisationType.Carrier,
                    Status = (ReferralStatus)random.Next(6),
                });
            }
        }

        return @case;
    }

    private static Consent Consent(ConsentPurpose purpose, ConsentStatus status, DateOnly expiresOn) =>
        new() { Id = Guid.CreateVersion7(), Purpose = purpose, Status = status, ExpiresOn = expiresOn, RecordedBy = "case-manager" };

    private enum RequestKind
    {
        Advance,
        StepBack,
        Work,
        Review,
        Close,
        Reopen,
    }

    private readonly record struct Request(Case Case, RequestKind Kind);
}
