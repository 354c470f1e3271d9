using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;

namespace Kim.Testing;

/// <summary>
/// A year of a district's KIM in the platform's own event shapes, deterministic: per tenant its cases from intake to
/// closure (phases, goals, reviews, referrals along the adopted service chains with answers around their targets), and
/// the network's year (rules, quarterly meetings, resolutions, two chains with a second version, a working group, a
/// goal system, forwarding contracts, reconstructions). Events that would lie in the future are left out, so the cases
/// of the last weeks are still open, unless <c>completed</c> asks for a past year whose cases all ended.
/// </summary>
public static class YearOfEvents
{
    public static List<IntegrationEvent> Create(IReadOnlyList<string> tenants, int casesPerTenant, DateTime nowUtc, int seed = 2026, bool completed = false)
    {
        var random = new Random(seed);
        var start = nowUtc.AddDays(-365);
        var events = new List<IntegrationEvent>();
        var organisations = new[]
        {
            Organisation("Jobcenter Kreis", OrganisationType.Jobcenter, null),
            Organisation("Ausländerbehörde Kreis", OrganisationType.ImmigrationAuthority, null),
            Organisation("Caritas Beratungsdienst", OrganisationType.Carrier, "caritas"),
            Organisation("Diakonie Migrationsdienst", OrganisationType.Carrier, "diakonie"),
            Organisation("Sprachschule Volkshochschule", OrganisationType.SchoolOrDaycare, null),
        };
        events.AddRange(organisations.Select(o => o with { OccurredAt = start }));
        var number = 0;
        string Resolution(DateTime on) => $"LG-{on.Year}-{++number:00}";

        events.Add(new RulesOfProcedureAdopted { OccurredAt = start.AddDays(10), Version = 1, ResolutionNumber = Resolution(start), CircularResolutionsAllowed = true });
        for (var quarter = 0; quarter < 4; quarter++)
        {
            var on = start.AddDays(20 + (quarter * 90));
            events.Add(new MeetingHeld
            {
                OccurredAt = on,
                MeetingId = Guid.NewGuid(),
                HeldOn = DateOnly.FromDateTime(on),
                VotingMembers = 9,
                VotingMembersPresent = 6 + quarter % 3,
                Quorate = true,
                RepresentedTypes = [OrganisationType.MunicipalOffice, OrganisationType.Jobcenter, OrganisationType.Carrier, OrganisationType.ImmigrationAuthority],
            });
            events.Add(new ResolutionAdopted
            {
                OccurredAt = on.AddHours(2),
                ResolutionId = Guid.NewGuid(),
                RegisterNumber = Resolution(on),
                Title = $"Beschluss der Sitzung {quarter + 1}",
                IsBinding = quarter % 2 == 0,
                Procedure = ResolutionProcedure.Meeting,
                Yes = 6,
                No = 0,
                Abstentions = quarter % 2,
            });
        }

        // Two service chains; the first gets a second version after half a year (a faster first handover).
        var work = Chain("Arbeitsmarktintegration", LifeDomain.TrainingWork, start.AddDays(30), Resolution(start),
            [(organisations[0], 14), (organisations[2], 10), (organisations[4], 21)]);
        var residence = Chain("Aufenthaltssicherung", LifeDomain.Residence, start.AddDays(40), Resolution(start),
            [(organisations[1], 28), (organisations[3], 14)]);
        var workVersion2 = work with { OccurredAt = start.AddDays(200), Version = 2, ResolutionNumber = Resolution(start.AddDays(200)), MessageId = Guid.NewGuid() };
        events.AddRange([work, residence, workVersion2]);
        events.Add(new WorkingGroupMandated { OccurredAt = start.AddDays(60), WorkingGroupId = Guid.NewGuid(), Name = "PAG Arbeit und Anerkennung", ResolutionNumber = Resolution(start) });
        events.Add(new GenerativeThemeProposed
        {
            OccurredAt = start.AddDays(55),
            ThemeId = Guid.NewGuid(),
            Title = "Anerkennung ausländischer Abschlüsse",
            LifeDomain = LifeDomain.TrainingWork,
            Source = ThemeSource.Reconstructions,
            Reconstructions = 4,
            Tenants = 3,
        });
        events.Add(new GoalSystemAdopted { OccurredAt = start.AddDays(120), GoalSystemId = Guid.NewGuid(), Version = 1, Indicators = 4, ResolutionNumber = Resolution(start) });
        foreach (var carrier in tenants.Skip(1))
        {
            events.Add(new ForwardingContractSigned { OccurredAt = start.AddDays(5), ContractId = Guid.NewGuid(), PartnerTenantId = carrier, PartnerKind = ForwardingPartnerKind.Carrier, Fte = 1.5m });
        }

        foreach (var tenant in tenants)
        {
            for (var month = 0; month < 12; month += 3)
            {
                events.Add(new CaseReconstructionSubmitted
                {
                    OccurredAt = start.AddDays((month * 30) + 15),
                    TenantId = tenant,
                    ReconstructionId = Guid.NewGuid(),
                    Barriers = [new Kim.Contracts.Cases.Barrier(LifeDomain.TrainingWork, LegalDomain.SgbII, "Anerkennung dauert länger als die Förderung", ["Anerkennung"])],
                });
            }

            for (var i = 0; i < casesPerTenant; i++)
            {
                events.AddRange(Case(random, tenant, start.AddDays(random.NextDouble() * 365), random.Next(2) == 0 ? (work, workVersion2) : (residence, residence)));
            }
        }

        return [.. events.Where(e => completed || e.OccurredAt <= nowUtc).OrderBy(e => e.OccurredAt)];
    }

    private static IEnumerable<IntegrationEvent> Case(Random random, string tenant, DateTime opened, (ServiceChainAdopted First, ServiceChainAdopted Later) chains)
    {
        var key = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        string[] residence = ["ResidencePermit", "Toleration", "PermissionToReside", "TemporaryProtection", "SettlementPermit"];
        yield return new CaseOpened
        {
            OccurredAt = opened,
            TenantId = tenant,
            CaseKey = key,
            AgeBand = AgeBands.All[1 + random.Next(4)],
            ResidenceCategory = residence[random.Next(residence.Length)],
            AccessRoute = random.Next(3) == 0 ? "Referral" : "SelfReferral",
        };
        var at = opened.AddDays(1 + random.Next(7));
        if (random.Next(10) == 0)
        {
            yield return new CaseNotIndicated { OccurredAt = at, TenantId = tenant, CaseKey = key, ReferredTo = OrganisationType.Jobcenter };
            yield break;
        }

        var phase = CasePhase.Intake;
        IntegrationEvent Next(CasePhase to, int minDays, int maxDays)
        {
            at = at.AddDays(minDays + (random.NextDouble() * (maxDays - minDays)));
            var changed = new CasePhaseChanged { OccurredAt = at, TenantId = tenant, CaseKey = key, From = phase, To = to };
            phase = to;
            return changed;
        }

        yield return Next(CasePhase.Assessment, 0, 3);
        yield return Next(CasePhase.GoalAgreement, 7, 21);
        var goals = 1 + random.Next(3);
        for (var g = 0; g < goals; g++)
        {
            yield return new GoalAgreed { OccurredAt = at, TenantId = tenant, CaseKey = key, GoalId = Guid.NewGuid(), LifeDomain = (LifeDomain)random.Next(9) };
        }

        yield return Next(CasePhase.ServicePlanning, 3, 10);
        yield return Next(CasePhase.ServiceSteering, 2, 7);
        var chain = at >= chains.Later.OccurredAt ? chains.Later : chains.First;
        foreach (var step in chain.Steps)
        {
            var referral = Guid.NewGuid();
            yield return new ReferralIssued
            {
                OccurredAt = at,
                TenantId = tenant,
                CaseKey = key,
                ReferralId = referral,
                ProviderOrganisationId = step.ResponsibleOrganisationId,
                ProviderOrganisationName = step.ResponsibleOrganisationName,
                ProviderTenantId = TenantOf(step.ResponsibleOrganisationName),
                LegalDomain = step.LegalDomain,
                LifeDomain = chain.LifeDomain,
                ServiceChainId = chain.ChainId,
                ServiceChainVersion = chain.Version,
                ChainStepOrder = step.Order,
                TargetDays = step.TargetDays,
            };

            // Answers scatter around the target; the chain's first step of version 1 is the slow one.
            var slow = step.Order == 1 && chain.Version == 1 && chain.Steps.Count > 2 ? 1.8 : 0.8;
            at = at.AddDays(step.TargetDays * slow * (0.4 + random.NextDouble()));
            if (random.Next(12) == 0)
            {
                yield return new ReferralStatusChanged { OccurredAt = at, TenantId = tenant, CaseKey = key, ReferralId = referral, Status = ReferralStatus.Rejected, Reason = "Keine Kapazität" };
                continue;
            }

            yield return new ReferralStatusChanged { OccurredAt = at, TenantId = tenant, CaseKey = key, ReferralId = referral, Status = ReferralStatus.Accepted };
            at = at.AddDays(1 + random.Next(5));
            yield return new ReferralStatusChanged { OccurredAt = at, TenantId = tenant, CaseKey = key, ReferralId = referral, Status = ReferralStatus.Started };
            at = at.AddDays(10 + random.Next(40));
            yield return new ReferralStatusChanged
            {
                OccurredAt = at,
                TenantId = tenant,
                CaseKey = key,
                ReferralId = referral,
                Status = ReferralStatus.Completed,
                Successful = random.Next(5) > 0,
                FailureReason = null,
            };
        }

        yield return new CaseReviewHeld { OccurredAt = at, TenantId = tenant, CaseKey = key, Kind = random.Next(4) == 0 ? CaseReviewKind.Conference : CaseReviewKind.Review, Participants = [OrganisationType.Jobcenter, OrganisationType.Carrier] };
        yield return Next(CasePhase.Monitoring, 5, 30);
        yield return Next(CasePhase.Closure, 10, 60);
        var achieved = random.Next(goals + 1);
        yield return new CaseClosed
        {
            OccurredAt = at,
            TenantId = tenant,
            CaseKey = key,
            Reason = "Ziele erreicht",
            GoalsAgreed = goals,
            GoalsAchieved = achieved,
            GoalsPartlyAchieved = random.Next(goals - achieved + 1),
            DurationDays = (int)(at - opened).TotalDays,
        };
    }

    private static string? TenantOf(string organisation) => organisation switch
    {
        "Caritas Beratungsdienst" => "caritas",
        "Diakonie Migrationsdienst" => "diakonie",
        _ => null,
    };

    private static OrganisationRegistered Organisation(string name, OrganisationType type, string? tenant) =>
        new() { OccurredAt = default, OrganisationId = Guid.NewGuid(), Name = name, Type = type, TenantId = tenant };

    private static ServiceChainAdopted Chain(string title, LifeDomain domain, DateTime on, string resolution, IReadOnlyList<(OrganisationRegistered Organisation, int TargetDays)> steps) => new()
    {
        OccurredAt = on,
        ChainId = Guid.NewGuid(),
        Version = 1,
        Title = title,
        LifeDomain = domain,
        ResolutionNumber = resolution,
        Steps = [.. steps.Select((s, i) => new ChainStep(i + 1, $"{title}: Schritt {i + 1}", s.Organisation.OrganisationId, s.Organisation.Name, LegalDomain.SgbII,
            new HandoverPoint("Einwilligung liegt vor", "Rückmeldung an das Case Management", "Übergabebogen"), s.TargetDays))],
    };
}
