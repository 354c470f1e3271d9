using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;

namespace Kim.Cli.Demo;

/// <summary>What the demo left behind: the ids a reader (or a test) looks up, and the figures it printed.</summary>
public sealed record DemoOutcome(
    Guid ChainId, Guid StalledProvider, Guid ThemeId, Guid WorkingGroupId, Guid GoalSystemId, int Cases, int Referrals, int Reconstructions, int Meetings,
    JsonElement AssessmentBefore, JsonElement AssessmentAfter, TimeSpan Took);

/// <summary>
/// The KIM loop of one year, told through the platform's public API (the gateway) and the historical import only:
/// the network and its steering group, a service chain whose second step stalls at the immigration office, a year
/// of imported cases and referrals of <c>kommune</c>, <c>caritas</c> and <c>diakonie</c>, case reconstructions
/// naming that barrier, the theme they raise, a mandated working group (PAG), the revised chain (version 2) and a
/// goal system adopted by the steering group, and the faster handovers after it. See <c>docs/demo.md</c>.
/// </summary>
public sealed class DemoScenario(DemoClient client, TextWriter log, IReadOnlyList<string> tenants)
{
    public const string ChainTitle = "Berufliche Anerkennung und Arbeit";
    public const string StallTag = "Wartezeit Beschäftigungserlaubnis";
    public const string ThemeTitle = "Wartezeit auf die Beschäftigungserlaubnis";
    public const string WorkingGroupName = "PAG Arbeitsmarktzugang";
    public const string StalledProviderName = "Ausländerbehörde des Kreises";
    /// <summary>The tenants of the platform's default set-up; the first is the coordinating office.</summary>
    public static readonly string[] DefaultTenants = ["kommune", "caritas", "diakonie"];

    private readonly string coordinatingTenant = tenants[0];
    private readonly Caller office = client.As(tenants[0], KimRoles.Coordinator, "demo-koordination");
    private readonly List<(string Title, Guid Id)> heldMeetings = [];

    /// <summary>Runs the whole story once; refuses to run on a platform that already holds the demo's chain.</summary>
    public async Task<DemoOutcome> RunAsync(int casesPerTenant, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var chains = await office.GetAsync("/api/network/service-chains", cancellationToken);
        if (chains.EnumerateArray().Any(c => c.GetProperty("title").GetString() == ChainTitle))
        {
            throw new DemoRequestException($"Die Demo-Daten sind schon eingespielt (Dienstleistungskette „{ChainTitle}“ vorhanden).");
        }

        var baseline = await ReferralsByStatusAsync(cancellationToken);
        Step("Netzwerkregister");
        var org = await OrganisationsAsync(cancellationToken);

        Step("Lenkungsgruppe, Geschäftsordnung und Dienstleistungskette (Version 1)");
        await SteeringGroupAsync(org, cancellationToken);
        var v1 = await office.PostAsync("/api/network/service-chains", Chain(null, null, org, stalled: true), cancellationToken);
        var chainId = v1.GetProperty("chainId").GetGuid();
        var rules = await office.GetAsync("/api/network/steering/rules/current", cancellationToken);
        if (rules.GetProperty("version").GetInt32() == 0)
        {
            // The constituent meeting adopts nothing but the first rules of procedure.
            var draft = await office.PostAsync("/api/network/steering/rules", new { quorumPercent = 50, majority = "Simple", circularAllowed = true, circularDeadlineDays = 14, circularParticipationPercent = 50 }, cancellationToken);
            await MeetingAsync("Konstituierende Sitzung der Lenkungsgruppe", [await MotionAsync("Geschäftsordnung der Lenkungsgruppe", "AdoptRules", Id(draft), cancellationToken)], cancellationToken);
        }

        await MeetingAsync("1. Sitzung der Lenkungsgruppe", [await MotionAsync($"Dienstleistungskette „{ChainTitle}“", "AdoptServiceChain", Id(v1), cancellationToken)], cancellationToken);

        var providers = new DemoProviders(org["Anerkennungsberatung (IQ Netzwerk)"], org[StalledProviderName], org["Jobcenter des Kreises"],
            org["Volkshochschule des Kreises"], org["Fachstelle Wohnen der Stadt"], chainId);
        var today = LocalDay.Of(DateTime.UtcNow);
        var histories = tenants.Select((tenant, i) => (Tenant: tenant, History: new DemoHistory(tenant, casesPerTenant, today, 4711 + i, providers))).ToList();
        var switchDay = histories[0].History.Switch;

        Step($"Datenübernahme: {casesPerTenant} Fälle je Mandant und die Vermittlungen bis {switchDay:dd.MM.yyyy} (Kette Version 1)");
        foreach (var (tenant, history) in histories)
        {
            var importer = client.As(tenant, tenant == coordinatingTenant ? KimRoles.Operator : KimRoles.CarrierAdmin, "demo-datenuebernahme");
            await ImportAsync(importer, $"/api/tenants/{tenant}/imports/cases", history.CasesCsv(await CaseManagerAsync(tenant, cancellationToken)), cancellationToken);
            await ImportAsync(importer, $"/api/tenants/{tenant}/imports/referrals", history.ReferralsCsv(history.Start, switchDay), cancellationToken);
        }

        var submission = $"/api/reports/submissions/{today.Year}";
        await AnswersAsync(submission, cancellationToken);
        var before = await AssessmentAsync(submission, Expected(baseline, histories.SelectMany(h => h.History.Referrals).Where(r => r.Issued < switchDay)), cancellationToken);

        Step("Fallrekonstruktionen benennen die Hürde");
        var reconstructions = await ReconstructionsAsync(providers, cancellationToken);
        var theme = await Poll.UntilAsync(async () =>
        {
            var themes = await office.GetAsync("/api/network/themes", cancellationToken);
            return themes.EnumerateArray().FirstOrDefault(t => t.GetProperty("tag").GetString() == StallTag.ToLowerInvariant() && t.GetProperty("reconstructions").GetInt32() >= reconstructions) is { ValueKind: JsonValueKind.Object } found ? found : (JsonElement?)null;
        }, "das Thema aus den Fallrekonstruktionen", cancellationToken);

        // Tags are stored in lower case: the coordinator gives the theme a readable title.
        await office.PutAsync($"/api/network/themes/{Id(theme)}", new { title = ThemeTitle }, cancellationToken);

        Step("Die Lenkungsgruppe beauftragt eine Planungs- und Arbeitsgruppe");
        var group = await office.PostAsync("/api/network/working-groups", new
        {
            name = WorkingGroupName,
            subject = "Übergang von der Anerkennungsberatung in Arbeit: Beschäftigungserlaubnis",
            objective = "Die Wartezeit auf die Beschäftigungserlaubnis auf die Zielzeit der Kette senken.",
            specialRequirements = (string?)null,
            composition = "Ausländerbehörde, Jobcenter, Anerkennungsberatung, Caritas, Diakonie, Kommunales Integrationszentrum",
            workingForm = "Monatliche Sitzungen, Fallbesprechungen anhand anonymisierter Fallrekonstruktionen",
            expectedResultFormat = "Überarbeitete Dienstleistungskette und Zielsystem mit Kennzahlen",
            themeId = Id(theme),
        }, cancellationToken);
        await MeetingAsync("2. Sitzung der Lenkungsgruppe", [await MotionAsync($"Auftrag an die {WorkingGroupName}", "MandateWorkingGroup", Id(group), cancellationToken)], cancellationToken);
        var pag = $"/api/network/working-groups/{Id(group)}";
        await office.PostAsync($"{pag}/members", new { name = "Leitung der Ausländerbehörde", organisationId = org[StalledProviderName], function = "Leitung" }, cancellationToken);
        await office.PostAsync($"{pag}/members", new { name = "Teamleitung Arbeitsvermittlung", organisationId = org["Jobcenter des Kreises"], function = "Mitglied" }, cancellationToken);
        await office.PostAsync($"{pag}/members", new { name = "Fachdienst Migration", organisationId = org["Caritasverband"], function = "Mitglied" }, cancellationToken);
        foreach (var (weeks, summary) in new[] { (-2, "Auswertung der Fallrekonstruktionen: Anträge warten ohne Ansprechperson."), (-1, "Entwurf: feste Ansprechperson und Schnellverfahren, Ziel 14 Tage.") })
        {
            await office.PostAsync($"{pag}/sessions", new { heldOn = switchDay.AddDays(7 * weeks), summary }, cancellationToken);
        }

        var result = await office.PostAsync($"{pag}/results", new { title = "Schnellverfahren Beschäftigungserlaubnis", summary = "Feste Ansprechperson in der Ausländerbehörde, Vorprüfung durch die Anerkennungsberatung, Zielzeit 14 Tage." }, cancellationToken);

        Step("Version 2 der Kette und das Zielsystem werden beschlossen");
        var v2 = await office.PostAsync("/api/network/service-chains", Chain(chainId, Id(group), org, stalled: false), cancellationToken);
        var goals = await office.PostAsync($"{pag}/goal-systems", new
        {
            principalGoal = "Zugewanderte mit ausländischem Berufsabschluss finden schneller in Arbeit.",
            indicators = new[] { new { name = "Übergaben der Kette in der Zielzeit", baseline = 20m, target = 90m, unit = "%", source = "Monitoring der Übergabezeiten" } },
            frameworkGoals = new[]
            {
                new
                {
                    text = "Die Beschäftigungserlaubnis liegt innerhalb der Zielzeit vor.",
                    indicators = Array.Empty<object>(),
                    outcomeGoals = new[]
                    {
                        new
                        {
                            text = "Feste Ansprechperson und Schnellverfahren in der Ausländerbehörde",
                            indicators = new[] { new { name = "Median der Wartezeit auf die Beschäftigungserlaubnis", baseline = 90m, target = 14m, unit = "Tage", source = "Monitoring der Übergabezeiten" } },
                            activities = new[] { "Ansprechperson benennen", "Vorprüfung durch die Anerkennungsberatung" },
                        },
                    },
                },
            },
            sourcesOfVerification = new[] { "Übergabezeiten je Kettenschritt im Monitoring" },
            criticalAssumptions = new[] { "Die Stelle der Ansprechperson bleibt besetzt." },
        }, cancellationToken);
        await MeetingAsync("3. Sitzung der Lenkungsgruppe",
        [
            await MotionAsync($"Dienstleistungskette „{ChainTitle}“, Version 2", "AdoptServiceChain", Id(v2), cancellationToken),
            await MotionAsync("Zielsystem der PAG Arbeitsmarktzugang", "AdoptGoalSystem", Id(goals), cancellationToken),
            await MotionAsync("Ergebnis der PAG: Schnellverfahren", "DecideWorkingGroupResult", Id(result), cancellationToken, resultDecision: "Adopt"),
        ], cancellationToken);
        await IndicatorValuesAsync(Id(goals), goals, histories.Select(h => h.History).ToList(), cancellationToken);

        Step($"Datenübernahme: die Vermittlungen ab {switchDay:dd.MM.yyyy} (Kette Version 2)");
        foreach (var (tenant, history) in histories)
        {
            var importer = client.As(tenant, tenant == coordinatingTenant ? KimRoles.Operator : KimRoles.CarrierAdmin, "demo-datenuebernahme");
            await ImportAsync(importer, $"/api/tenants/{tenant}/imports/referrals", history.ReferralsCsv(switchDay, today), cancellationToken);
        }

        var all = histories.Sum(h => h.History.Referrals.Count());
        var after = await AssessmentAsync(submission, Expected(baseline, histories.SelectMany(h => h.History.Referrals)), cancellationToken);
        return new DemoOutcome(chainId, org[StalledProviderName], Id(theme), Id(group), Id(goals), histories.Sum(h => h.History.Cases.Count), all,
            reconstructions, heldMeetings.Count, before, after, clock.Elapsed);
    }

    /// <summary>The referrals per status the reports count once the imported ones have arrived.</summary>
    private static Dictionary<string, int> Expected(Dictionary<string, int> baseline, IEnumerable<DemoReferral> imported)
    {
        var expected = new Dictionary<string, int>(baseline);
        foreach (var status in imported.Select(r => r.Status))
        {
            expected[status] = expected.GetValueOrDefault(status) + 1;
        }

        return expected;
    }

    private void Step(string text) => log.WriteLine($"- {text}");

    private static Guid Id(JsonElement element) => element.GetProperty("id").GetGuid();

    /// <summary>The organisations of the network (found by name when registered before).</summary>
    private async Task<Dictionary<string, Guid>> OrganisationsAsync(CancellationToken cancellationToken)
    {
        (string Name, string Type, string? Tenant, string[] Domains)[] network =
        [
            ("Kommunales Integrationszentrum", "MunicipalOffice", coordinatingTenant, ["CrossDomain"]),
            ("Caritasverband", "Carrier", tenants.Contains("caritas") ? "caritas" : null, ["SgbII", "AufenthG"]),
            ("Diakonisches Werk", "Carrier", tenants.Contains("diakonie") ? "diakonie" : null, ["SgbII", "SgbXII"]),
            ("Jobcenter des Kreises", "Jobcenter", null, ["SgbII"]),
            (StalledProviderName, "ImmigrationAuthority", null, ["AufenthG"]),
            ("Anerkennungsberatung (IQ Netzwerk)", "Carrier", null, ["Other"]),
            ("Volkshochschule des Kreises", "Carrier", null, ["AufenthG", "SgbIII"]),
            ("Fachstelle Wohnen der Stadt", "MunicipalOffice", null, ["SgbXII"]),
            ("Integrationsrat", "IntegrationCouncil", null, ["CrossDomain"]),
        ];
        var known = (await office.GetAsync("/api/network/organisations", cancellationToken)).EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, Id);
        foreach (var (name, type, tenant, domains) in network.Where(n => !known.ContainsKey(n.Name)))
        {
            known[name] = Id(await office.PostAsync("/api/network/organisations", new { name, type, tenantId = tenant, legalDomains = domains }, cancellationToken));
        }

        return known;
    }

    /// <summary>Members with voting right from five organisations, chosen among the people with the steering-group role.</summary>
    private async Task SteeringGroupAsync(Dictionary<string, Guid> org, CancellationToken cancellationToken)
    {
        var existing = await office.GetAsync("/api/network/steering/members", cancellationToken);
        if (existing.EnumerateArray().Any(m => m.GetProperty("hasVotingRight").GetBoolean()))
        {
            return;
        }

        var people = await office.TryAsync(HttpMethod.Get, "/identity/api/identity/steering-members", null, cancellationToken);
        var persons = people.Status == HttpStatusCode.OK
            ? people.Body.EnumerateArray().Select(p => (Id: p.GetProperty("id").GetString()!, Tenant: p.GetProperty("tenant").GetString()!)).ToList()
            : [];
        (string Name, string Organisation, string Tenant)[] seats =
        [
            ("Dr. Petra Lange", "Jobcenter des Kreises", coordinatingTenant),
            ("Maria Schulz", "Caritasverband", "caritas"),
            ("Thomas Berger", "Diakonisches Werk", "diakonie"),
            ("Aylin Kaya", "Integrationsrat", coordinatingTenant),
            ("Stefan Hoffmann", StalledProviderName, coordinatingTenant),
        ];
        foreach (var (name, organisation, tenant) in seats.Where(s => tenants.Contains(s.Tenant)))
        {
            // A seeded person of the tenant when there is one left, so that the member can sign in and vote.
            var person = persons.FirstOrDefault(p => p.Tenant == tenant);
            if (person.Id is not null)
            {
                persons.Remove(person);
            }

            await office.PostAsync("/api/network/steering/members", new
            {
                organisationId = org[organisation],
                name,
                userId = person.Id ?? "demo-" + name.Split(' ')[^1].ToLowerInvariant(),
                userTenant = tenant,
                hasVotingRight = true,
            }, cancellationToken);
        }
    }

    private object Chain(Guid? chainId, Guid? workingGroup, Dictionary<string, Guid> org, bool stalled) => new
    {
        chainId,
        title = ChainTitle,
        lifeDomain = "TrainingWork",
        workingGroupId = workingGroup,
        steps = new object[]
        {
            new { activity = "Beratung zur Anerkennung des Berufsabschlusses", responsibleOrganisationId = org["Anerkennungsberatung (IQ Netzwerk)"], legalDomain = "Other", preconditions = "Abschluss und Nachweise liegen vor", guarantees = "Antrag auf Anerkennung gestellt", standards = (string?)null, targetDays = 14 },
            stalled
                ? new { activity = "Beschäftigungserlaubnis prüfen und erteilen", responsibleOrganisationId = org[StalledProviderName], legalDomain = "AufenthG", preconditions = "Antrag mit Arbeitsplatzangebot", guarantees = "Entscheidung über die Beschäftigungserlaubnis", standards = (string?)null, targetDays = 21 }
                : new { activity = "Beschäftigungserlaubnis im Schnellverfahren (feste Ansprechperson)", responsibleOrganisationId = org[StalledProviderName], legalDomain = "AufenthG", preconditions = "Vorgeprüfter Antrag der Anerkennungsberatung", guarantees = "Entscheidung binnen 14 Tagen", standards = (string?)"Feste Ansprechperson, Vorprüfung", targetDays = 14 },
            new { activity = "Vermittlung in Arbeit", responsibleOrganisationId = org["Jobcenter des Kreises"], legalDomain = "SgbII", preconditions = "Beschäftigungserlaubnis liegt vor", guarantees = "Vermittlungsvorschläge", standards = (string?)null, targetDays = 30 },
        },
    };

    private async Task<Guid> MotionAsync(string title, string kind, Guid subject, CancellationToken cancellationToken, string? resultDecision = null) =>
        Id(await office.PostAsync("/api/network/steering/motions", new { title, text = (string?)null, kind, subjectId = subject, targetWorkingGroupId = (Guid?)null, resultDecision, isBinding = true }, cancellationToken));

    /// <summary>A meeting held now with every voting member present, the motions adopted unanimously and the previous meeting's minutes approved.</summary>
    private async Task MeetingAsync(string title, IReadOnlyList<Guid> motions, CancellationToken cancellationToken)
    {
        var voting = (await office.GetAsync("/api/network/steering/members", cancellationToken)).EnumerateArray()
            .Where(m => m.GetProperty("hasVotingRight").GetBoolean()).Select(Id).ToList();
        var meeting = Id(await office.PostAsync("/api/network/steering/meetings", new
        {
            title,
            scheduledFor = DateTime.UtcNow,
            agenda = motions.Select((m, i) => new { kind = "Motion", title = $"Antrag {i + 1}", referenceId = (Guid?)m }).ToArray(),
        }, cancellationToken));
        await office.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new { attendance = voting.Select(m => new { memberId = m, presence = "Present" }) }, cancellationToken);
        await office.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { minutes = $"Protokoll: {title}. Alle Anträge einstimmig angenommen." }, cancellationToken);
        foreach (var motion in motions)
        {
            await office.PostAsync($"/api/network/steering/motions/{motion}/votes", new { meetingId = meeting, votes = voting.Select(m => new { memberId = m, choice = "Yes", byDeputy = false }) }, cancellationToken);
        }

        if (heldMeetings.Count > 0)
        {
            await office.PostAsync($"/api/network/steering/meetings/{heldMeetings[^1].Id}/minutes/approve", new { approvingMeetingId = meeting }, cancellationToken);
        }

        heldMeetings.Add((title, meeting));
    }

    /// <summary>The user id of the tenant's case manager who signs in (seeded), else a placeholder id.</summary>
    private async Task<string> CaseManagerAsync(string tenant, CancellationToken cancellationToken)
    {
        var colleagues = await client.As(tenant, KimRoles.CaseManager, "demo-fallmanagement").TryAsync(HttpMethod.Get, $"/identity/api/identity/tenants/{tenant}/colleagues", null, cancellationToken);
        return colleagues.Status == HttpStatusCode.OK
            && colleagues.Body.EnumerateArray().FirstOrDefault(c => c.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == KimRoles.CaseManager)) is { ValueKind: JsonValueKind.Object } person
                ? person.GetProperty("id").GetString()!
                : "demo-fallmanagement";
    }

    /// <summary>Imports a file; while the tenant's CaseService has not yet learnt the chain or the providers (events), it tries again.</summary>
    private async Task ImportAsync(Caller importer, string path, string csv, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (status, body) = await importer.TryCsvAsync(path, csv, cancellationToken);
            if ((int)status is >= 200 and < 300)
            {
                log.WriteLine($"  {importer.Tenant}: {body.GetProperty("cases").GetInt32()} Fälle, {body.GetProperty("referrals").GetInt32()} Vermittlungen übernommen");
                return;
            }

            var text = body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText();
            var notYetKnown = text.Contains("Netzwerkregister", StringComparison.Ordinal) || text.Contains("beschlossene Version", StringComparison.Ordinal);
            if (!notYetKnown || attempt == 60)
            {
                throw new DemoRequestException($"POST {path}: {(int)status} {text}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Eight reconstructions of the tenants, each naming the stalled step of version 1; the first of each tenant also names a housing barrier.</summary>
    private async Task<int> ReconstructionsAsync(DemoProviders providers, CancellationToken cancellationToken)
    {
        string[] stories =
        [
            "Antrag auf Beschäftigungserlaubnis lag drei Monate ohne Rückmeldung; das Arbeitsangebot verfiel.",
            "Keine Ansprechperson in der Ausländerbehörde erreichbar; Vorsprache erst nach zehn Wochen.",
            "Unterlagen wurden zweimal nachgefordert, jeweils nach Wochen.",
            "Arbeitgeber zog Zusage zurück, weil die Erlaubnis nicht rechtzeitig vorlag.",
        ];
        var all = 0;
        foreach (var (tenant, count) in tenants.Select((t, i) => (t, tenants.Count == 2 ? 4 : i < 2 ? 3 : 2)))
        {
            var coordinator = client.As(tenant, KimRoles.Coordinator, "demo-koordination-" + tenant);
            for (var i = 0; i < count; i++)
            {
                var barriers = new List<object>
                {
                    new
                    {
                        lifeDomain = "TrainingWork", legalDomain = "AufenthG", description = stories[(all + i) % stories.Length], themeTags = new[] { StallTag },
                        providerOrganisationId = (Guid?)providers.ImmigrationOffice, serviceChainId = (Guid?)providers.ChainId, serviceChainVersion = (int?)1, chainStepOrder = (int?)2,
                    },
                };
                if (i == 0)
                {
                    barriers.Add(new
                    {
                        lifeDomain = "Housing",
                        legalDomain = "SgbXII",
                        description = "Für eine Familie mit fünf Kindern fand sich in einem Jahr keine Wohnung.",
                        themeTags = new[] { "Wohnraum für große Familien" },
                        providerOrganisationId = (Guid?)providers.Housing,
                        serviceChainId = (Guid?)null,
                        serviceChainVersion = (int?)null,
                        chainStepOrder = (int?)null,
                    });
                }

                await coordinator.PostAsync($"/api/tenants/{tenant}/reconstructions", new { title = $"Fallrekonstruktion {tenant} {i + 1}: Weg in Arbeit", barriers }, cancellationToken);
            }

            all += count;
        }

        return all;
    }

    /// <summary>Monthly values of the goal system's waiting-time indicator, measured from the imported handovers.</summary>
    private async Task IndicatorValuesAsync(Guid goalSystem, JsonElement goals, List<DemoHistory> histories, CancellationToken cancellationToken)
    {
        var indicator = goals.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("unit").GetString() == "Tage").GetProperty("indicatorId").GetString();
        var answered = histories.SelectMany(h => h.Referrals).Where(r => r.Step == 2 && (r.Accepted ?? r.Rejected) is not null)
            .Select(r => (Month: new DateOnly((r.Accepted ?? r.Rejected)!.Value.Year, (r.Accepted ?? r.Rejected)!.Value.Month, 1), Days: (r.Accepted ?? r.Rejected)!.Value.DayNumber - r.Issued.DayNumber))
            .GroupBy(r => r.Month).OrderBy(g => g.Key);
        foreach (var month in answered)
        {
            var days = month.Select(m => m.Days).Order().ToList();
            var end = month.Key.AddMonths(1).AddDays(-1);
            await office.PostAsync($"/api/network/goal-systems/{goalSystem}/indicators/{indicator}/values", new
            {
                value = (decimal)days[days.Count / 2],
                measuredOn = end < LocalDay.Of(DateTime.UtcNow) ? end : LocalDay.Of(DateTime.UtcNow),
                source = "Monitoring der Übergabezeiten (Median des Monats)",
            }, cancellationToken);
        }
    }

    /// <summary>The coordinator's own answers to the survey where live data cannot answer (kept when given before).</summary>
    private async Task AnswersAsync(string submission, CancellationToken cancellationToken)
    {
        var view = await office.TryAsync(HttpMethod.Get, submission, null, cancellationToken);
        if (view.Status != HttpStatusCode.OK || view.Body.GetProperty("status").GetString() != "Draft")
        {
            return;
        }

        await office.PutAsync($"{submission}/answers", new
        {
            answers = new Dictionary<string, object>
            {
                ["projectOrganisation.teamStructure"] = "Developed",
                ["projectOrganisation.coordinatingOfficeDecidesStrategically"] = true,
                ["projectOrganisation.strategicSteeringIsTask"] = true,
                ["network.migrantOrganisationsInSteeringGroup"] = "Yes",
                ["network.networkFunction"] = "Negotiation",
                ["network.jointTeamSessionsWithCarriers"] = true,
                ["projectOrganisation.steeringGroupComposition"] = "Other",
                ["caseManagement.superordinateCoordination"] = true,
                ["caseManagement.cmConcept"] = "Yes",
                ["caseManagement.crossDomainConcept"] = "Planned",
                ["caseManagement.commonInstruments.assessment"] = true,
                ["caseManagement.commonInstruments.goalPlanning"] = true,
                ["caseManagement.commonInstruments.servicePlanning"] = true,
                ["caseManagement.caseReviewFrequency"] = "Monthly",
                ["caseBasis.workingGroupsCaseBased"] = true,
                ["caseBasis.transferCaseToSystem"] = "Planned",
                ["reflection.systematicReflection"] = true,
                ["reflection.publicDiscussion"] = false,
            },
        }, cancellationToken);
    }

    private async Task<Dictionary<string, int>> ReferralsByStatusAsync(CancellationToken cancellationToken) =>
        (await office.GetAsync("/api/reports/referrals", cancellationToken)).GetProperty("byStatus").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetInt32());

    /// <summary>The site's assessment once the reports count every imported referral in its last status.</summary>
    private async Task<JsonElement> AssessmentAsync(string submission, Dictionary<string, int> expected, CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(async () =>
        {
            var counted = await ReferralsByStatusAsync(cancellationToken);
            return expected.All(e => counted.GetValueOrDefault(e.Key) >= e.Value) ? default(JsonElement) : null;
        }, "alle Vermittlungen in den Berichten", cancellationToken, TimeSpan.FromMinutes(5));
        return (await office.GetAsync(submission, cancellationToken)).GetProperty("assessment");
    }
}

/// <summary>Waits for what the platform does asynchronously (events between the services).</summary>
public static class Poll
{
    public static async Task<JsonElement> UntilAsync(Func<Task<JsonElement?>> probe, string what, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DemoRequestException($"Zeitüberschreitung beim Warten auf {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}
