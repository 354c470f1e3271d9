using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Import;

/// <summary>The cases file of the historical import (docs/import.md): one row per case, with its original dates.</summary>
public static class CaseImport
{
    public const string Reference = "Fallnummer";
    public const string GivenName = "Vorname";
    public const string FamilyName = "Nachname";
    public const string BirthDate = "Geburtsdatum";
    public const string Residence = "Aufenthaltsstatus";
    public const string Languages = "Sprachen";
    public const string Access = "Zugangsweg";
    public const string CaseManager = "Fallverantwortung";
    public const string Opened = "Eröffnet am";
    public const string ConsentGiven = "Einwilligung am";
    public const string ConsentExpires = "Einwilligung gültig bis";
    public const string Closed = "Abgeschlossen am";
    public const string ClosureReason = "Abschlussgrund";

    /// <summary>The column of the date each phase after the intake was entered, in the order of the phases.</summary>
    public static readonly IReadOnlyList<(CasePhase Phase, string Header)> PhaseColumns =
    [
        (CasePhase.Assessment, "Assessment seit"),
        (CasePhase.GoalAgreement, "Zielvereinbarung seit"),
        (CasePhase.ServicePlanning, "Hilfeplanung seit"),
        (CasePhase.ServiceSteering, "Leistungssteuerung seit"),
        (CasePhase.Monitoring, "Monitoring seit"),
    ];

    public static readonly IReadOnlyList<ImportColumn> Columns =
    [
        new(Reference, Required: true), new(GivenName, Required: true), new(FamilyName, Required: true), new(BirthDate, Required: true),
        new(Residence), new(Languages), new(Access), new(CaseManager, Required: true), new(Opened, Required: true),
        new(ConsentGiven), new(ConsentExpires),
        .. PhaseColumns.Select(p => new ImportColumn(p.Header)),
        new(Closed), new(ClosureReason),
    ];

    /// <summary>What a consent recorded by the import says about its evidence: the site's earlier records.</summary>
    public const string ConsentEvidence = "Datenübernahme aus den bisherigen Unterlagen";

    /// <summary>How long an imported consent holds when the file does not say (from the day it was given).</summary>
    public static readonly int DefaultConsentYears = 2;

    private sealed record Row(
        int Number, string Reference, ClientIdentity Identity, ResidenceStatus Residence, List<string> Languages, AccessRoute Access,
        string CaseManager, DateTime Opened, DateTime? Consent, DateOnly? ConsentExpires, List<(CasePhase Phase, DateTime At)> Phases,
        DateTime? Closed, string? ClosureReason);

    /// <summary>Validates every row; when all are valid, stages the cases with their history and events (nothing saved).</summary>
    public static async Task<(ImportCounts? Counts, List<ImportError> Errors)> StageAsync(
        ImportFile file, CaseServices services, ImportEvents events, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        var positions = file.MapColumns(Columns, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var rows = new List<Row>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (number, fields) in file.Rows)
        {
            var row = new ImportRow(number, fields, positions, errors, services.Now);
            if (Read(row) is { } parsed)
            {
                if (seen.TryGetValue(parsed.Reference, out var first))
                {
                    row.Error(Reference, $"Die Fallnummer kommt schon in Zeile {first} vor.");
                    continue;
                }

                seen[parsed.Reference] = number;
                rows.Add(parsed);
            }
        }

        var references = rows.Select(r => r.Reference).ToList();
        var taken = await services.Db.Cases.AsNoTracking().Where(c => c.ImportReference != null && references.Contains(c.ImportReference))
            .Select(c => c.ImportReference!).ToListAsync(cancellationToken);
        foreach (var row in rows.Where(r => taken.Contains(r.Reference, StringComparer.Ordinal)))
        {
            errors.Add(new ImportError(row.Number, Reference, "Ein Fall mit dieser Fallnummer wurde bereits übernommen."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        foreach (var row in rows)
        {
            Stage(row, services, events);
        }

        return (new ImportCounts(rows.Count, 0, events.Count), errors);
    }

    private static Row? Read(ImportRow row)
    {
        var reference = row.Text(Reference, required: true, maxLength: 50);
        var given = row.Text(GivenName, required: true);
        var family = row.Text(FamilyName, required: true);
        var birth = row.Date(BirthDate, required: true);
        var residence = row.Choice<ResidenceStatus>(Residence) ?? ResidenceStatus.Unknown;
        var access = row.Choice<AccessRoute>(Access) ?? AccessRoute.Unknown;
        var manager = row.Text(CaseManager, required: true);
        var opened = row.Time(Opened, required: true);
        var consent = row.Time(ConsentGiven);
        var expires = row.Date(ConsentExpires);
        var closed = row.Time(Closed);
        var closureReason = row.Text(ClosureReason, maxLength: 1000);

        var languages = (row.Raw(Languages) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (languages.Count > 10)
        {
            row.Error(Languages, "Höchstens 10 Sprachen.");
        }
        else if (languages.FirstOrDefault(l => l is not { Length: >= 2 and <= 3 } || !l.All(char.IsAsciiLetterLower)) is { } wrong)
        {
            row.Error(Languages, $"„{wrong}“ ist kein Sprachcode nach ISO 639 (zwei oder drei Kleinbuchstaben, z. B. ar, de, uk), mehrere durch Komma getrennt.");
        }

        // The phases entered after the intake: without a gap, in their order, each no earlier than the one before.
        var phases = new List<(CasePhase Phase, DateTime At)>();
        var gap = false;
        var previous = opened;
        var previousHeader = Opened;
        foreach (var (phase, header) in PhaseColumns)
        {
            var at = row.Time(header);
            if (at is null)
            {
                gap = gap || row.Raw(header) is null;
                continue;
            }

            if (gap)
            {
                row.Error(header, "Eine Phase setzt alle Phasen davor voraus; tragen Sie auch deren Datum ein.");
            }

            if (previous is { } before && at < before)
            {
                row.Error(header, $"Liegt vor „{previousHeader}“; die Phasen folgen in ihrer Reihenfolge aufeinander.");
            }

            phases.Add((phase, at.Value));
            previous = at;
            previousHeader = header;
        }

        if (birth is { } born && opened is { } openedAt)
        {
            if (born > LocalDay.Of(openedAt) || born < LocalDay.Of(openedAt).AddYears(-120))
            {
                row.Error(BirthDate, "Muss vor der Eröffnung und höchstens 120 Jahre davor liegen.");
            }
        }

        // Case management needs the client's consent (state-machine.md): a case past the intake needs its date.
        var assessment = phases.FirstOrDefault(p => p.Phase == CasePhase.Assessment).At;
        if (consent is null && phases.Count > 0 && row.Raw(ConsentGiven) is null)
        {
            row.Error(ConsentGiven, "Pflichtangabe, sobald der Fall über die Erstberatung hinaus ist: ohne Einwilligung kein Case Management.");
        }

        if (consent is { } consentAt)
        {
            if (opened is { } o && consentAt < o)
            {
                row.Error(ConsentGiven, "Liegt vor der Eröffnung des Falls.");
            }

            if (phases.Count > 0 && consentAt > assessment)
            {
                row.Error(ConsentGiven, "Liegt nach dem Beginn des Assessments; das Case Management beginnt erst mit der Einwilligung.");
            }

            var givenOn = LocalDay.Of(consentAt);
            if (expires is { } until && (until <= givenOn || until > givenOn.AddYears(5)))
            {
                row.Error(ConsentExpires, "Muss nach dem Tag der Einwilligung und höchstens fünf Jahre danach liegen.");
            }
        }
        else if (expires is not null)
        {
            row.Error(ConsentExpires, "Nur mit „Einwilligung am“.");
        }

        var hasClosed = row.Raw(Closed) is not null;
        if (hasClosed != (row.Raw(ClosureReason) is not null))
        {
            row.Error(hasClosed ? ClosureReason : Closed, "„Abgeschlossen am“ und „Abschlussgrund“ gehören zusammen.");
        }

        if (closed is { } closedAt)
        {
            if (phases.Count == 0)
            {
                row.Error(Closed, "Abschließen lässt sich ein Fall erst nach der Erstberatung (ab dem Assessment); ein Fall ohne Indikation wird nicht übernommen.");
            }
            else if (closedAt < phases[^1].At)
            {
                row.Error(Closed, "Liegt vor dem Beginn der letzten Phase.");
            }
        }

        if (row.ErrorCount > 0)
        {
            return null;
        }

        var identity = new ClientIdentity(given!, family!, birth!.Value, null, null, null);
        return new Row(row.Row, reference!, identity, residence, languages, access, manager!, opened!.Value, consent,
            consent is { } c ? expires ?? LocalDay.Of(c).AddYears(DefaultConsentYears) : null, phases, closed, closureReason);
    }

    /// <summary>The case as the live API would have built it step by step, with the original times.</summary>
    private static void Stage(Row row, CaseServices services, ImportEvents events)
    {
        var client = new Client
        {
            Id = Guid.CreateVersion7(),
            BirthYear = row.Identity.BirthDate.Year,
            Languages = row.Languages,
            ResidenceStatus = row.Residence,
        };
        ClientRecords.Protect(client, row.Identity, services.Protector);

        var caseId = Guid.CreateVersion7();
        var @case = new Case
        {
            Id = caseId,
            ClientId = client.Id,
            Client = client,
            CaseKey = services.CaseKeys.For(caseId),
            OpenedAt = row.Opened,
            AssignedTo = row.CaseManager,
            AccessRoute = row.Access,
            ImportReference = row.Reference,
        };
        services.Db.Clients.Add(client);
        services.Db.Cases.Add(@case);
        events.Add(new CaseOpened
        {
            OccurredAt = row.Opened,
            TenantId = services.TenantId,
            CaseKey = @case.CaseKey,
            AgeBand = AgeBands.Of(row.Identity.BirthDate, LocalDay.Of(row.Opened)),
            ResidenceCategory = client.ResidenceStatus.ToString(),
            AccessRoute = @case.AccessRoute.ToString(),
        });
        services.Audit("case.opened", "case", caseId);

        if (row.Consent is { } consentAt)
        {
            var consent = new Consent
            {
                Id = Guid.CreateVersion7(),
                CaseId = caseId,
                Purpose = ConsentPurpose.CaseManagement,
                ExpiresOn = row.ConsentExpires!.Value,
                Status = ConsentStatus.Given,
                RequestedAt = consentAt,
                GivenAt = consentAt,
                GivenBy = ConsentGiver.Client,
                EvidenceReference = ConsentEvidence,
                RecordedBy = services.UserId,
            };
            services.Db.Consents.Add(consent);
            services.Audit("consent.given", "consent", consent.Id);
        }

        if (row.Phases.Count > 0)
        {
            // Past the intake, so the indication held (CaseRules.CanOpenCaseManagement); decided when the assessment began.
            @case.Indication = new Indication(true, true, true, row.Phases[0].At, row.CaseManager);
            services.Audit("case.indication-decided", "case", caseId);
        }

        foreach (var (phase, at) in row.Phases)
        {
            ChangePhase(@case, phase, at, reason: null, row.CaseManager, services, events);
            services.Audit("case.advanced", "case", caseId);
        }

        if (row.Closed is { } closedAt)
        {
            var reason = row.ClosureReason!;
            ChangePhase(@case, CasePhase.Closure, closedAt, reason, row.CaseManager, services, events);
            @case.Status = CaseStatus.Closed;
            @case.ClosureReason = reason;
            @case.ClosedAt = closedAt;
            events.Add(new CaseClosed
            {
                TenantId = services.TenantId,
                CaseKey = @case.CaseKey,
                Reason = reason,
                GoalsAgreed = 0,
                GoalsAchieved = 0,
                GoalsPartlyAchieved = 0,
                DurationDays = (int)(closedAt - row.Opened).TotalDays,
                OccurredAt = closedAt,
            });
            services.Audit("case.closed", "case", caseId);
        }
    }

    private static void ChangePhase(Case @case, CasePhase to, DateTime at, string? reason, string by, CaseServices services, ImportEvents events)
    {
        var from = @case.Phase;
        @case.Phase = to;
        services.Db.PhaseChanges.Add(new PhaseChange { CaseId = @case.Id, From = from, To = to, IsBackward = false, Reason = reason, At = at, By = by });
        events.Add(new CasePhaseChanged
        {
            TenantId = services.TenantId,
            CaseKey = @case.CaseKey,
            From = from,
            To = to,
            IsBackward = false,
            OccurredAt = at,
        });
    }
}
