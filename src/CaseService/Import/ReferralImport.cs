using Kim.CaseService.Cases;
using Kim.CaseService.Network;
using Kim.CaseService.Referrals;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Import;

/// <summary>
/// The referrals file of the historical import (docs/import.md): one row per referral of an imported case, with a
/// plan item of its own and the original dates of its status changes.
/// </summary>
public static class ReferralImport
{
    public const string Reference = "Fallnummer";
    public const string Title = "Maßnahme";
    public const string LifeDomainColumn = "Lebensbereich";
    public const string LegalDomainColumn = "Rechtskreis";
    public const string Provider = "Leistungserbringer-ID";
    public const string Chain = "Dienstleistungskette-ID";
    public const string ChainVersion = "Kettenversion";
    public const string ChainStep = "Kettenschritt";
    public const string TargetDays = "Zieltage";
    public const string Issued = "Vermittelt am";
    public const string Accepted = "Angenommen am";
    public const string Started = "Begonnen am";
    public const string Completed = "Abgeschlossen am";
    public const string Rejected = "Abgelehnt am";
    public const string Cancelled = "Abgebrochen am";
    public const string Successful = "Erfolgreich";
    public const string FailureReason = "Misserfolgsgrund";
    public const string Reason = "Grund";

    /// <summary>The title of a referral's plan item when the file names none and no chain step gives one.</summary>
    public const string DefaultTitle = "Vermittlung (Datenübernahme)";

    public static readonly IReadOnlyList<ImportColumn> Columns =
    [
        new(Reference, Required: true), new(Title), new(LifeDomainColumn), new(LegalDomainColumn), new(Provider, Required: true),
        new(Chain), new(ChainVersion), new(ChainStep), new(TargetDays), new(Issued, Required: true),
        new(Accepted), new(Started), new(Completed), new(Rejected), new(Cancelled), new(Successful), new(FailureReason), new(Reason),
    ];

    private sealed record Row(
        int Number, Case Case, ProviderOrganisation Provider, string Title, LifeDomain LifeDomain, LegalDomain LegalDomain, int TargetDays,
        AdoptedServiceChain? Chain, int? StepOrder, DateTime Issued, List<(ReferralStatus Status, DateTime At)> Steps,
        string? Reason, bool? Successful, ReferralFailureReason? FailureReason);

    /// <summary>Validates every row; when all are valid, stages the plan items, referrals and events (nothing saved).</summary>
    public static async Task<(ImportCounts? Counts, List<ImportError> Errors)> StageAsync(
        ImportFile file, CaseServices services, ImportEvents events, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        var positions = file.MapColumns(Columns, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // What the rows refer to, each loaded once: the imported cases with their history, the replica's organisations and chains.
        var rows = file.Rows.Select(r => new ImportRow(r.Row, r.Fields, positions, errors, services.Now)).ToList();
        var references = rows.Select(r => r.Raw(Reference)).OfType<string>().Distinct().ToList();
        var cases = await services.Db.Cases.Include(c => c.History)
            .Where(c => c.ImportReference != null && references.Contains(c.ImportReference))
            .ToDictionaryAsync(c => c.ImportReference!, StringComparer.Ordinal, cancellationToken);
        var providers = await services.Db.ProviderOrganisations.AsNoTracking().ToDictionaryAsync(o => o.Id, cancellationToken);
        var chains = await services.Db.ServiceChains.AsNoTracking().ToListAsync(cancellationToken);

        var parsed = new List<Row>();
        foreach (var row in rows)
        {
            if (Read(row, cases, providers, chains) is { } valid)
            {
                parsed.Add(valid);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        foreach (var row in parsed)
        {
            Stage(row, services, events);
        }

        // Every case that got a referral is changed: its version rises (the ETag of a case read before the import is stale).
        foreach (var changed in parsed.Select(r => r.Case).Distinct())
        {
            changed.Version++;
        }

        return (new ImportCounts(0, parsed.Count, events.Count), errors);
    }

    private static Row? Read(ImportRow row, Dictionary<string, Case> cases, Dictionary<Guid, ProviderOrganisation> providers, List<AdoptedServiceChain> chains)
    {
        var reference = row.Text(Reference, required: true, maxLength: 50);
        var title = row.Text(Title);
        var lifeDomain = row.Choice<LifeDomain>(LifeDomainColumn);
        var legalDomain = row.Choice<LegalDomain>(LegalDomainColumn);
        var providerId = row.Id(Provider, required: true);
        var chainId = row.Id(Chain);
        var chainVersion = row.Number(ChainVersion, 1, 10_000);
        var stepOrder = row.Number(ChainStep, 1, 1_000);
        var targetDays = row.Number(TargetDays, 1, 730);
        var issued = row.Time(Issued, required: true);
        var accepted = row.Time(Accepted);
        var started = row.Time(Started);
        var completed = row.Time(Completed);
        var rejected = row.Time(Rejected);
        var cancelled = row.Time(Cancelled);
        var successful = row.YesNo(Successful);
        var failureReason = row.Choice<ReferralFailureReason>(FailureReason);
        var reason = row.Text(Reason, maxLength: 1000);

        Case? @case = null;
        if (reference is not null && !cases.TryGetValue(reference, out @case))
        {
            row.Error(Reference, "Kein übernommener Fall mit dieser Fallnummer; übernehmen Sie zuerst die Fälle.");
        }

        ProviderOrganisation? provider = null;
        if (providerId is { } pid && !providers.TryGetValue(pid, out provider))
        {
            row.Error(Provider, "Keine Organisation des Netzwerkregisters.");
        }

        // A chain step: all three columns, an adopted version known here, the step's organisation, domains and target days.
        AdoptedServiceChain? chain = null;
        Contracts.Network.ChainStep? step = null;
        var chainColumns = new[] { Chain, ChainVersion, ChainStep }.Count(c => row.Raw(c) is not null);
        if (chainColumns is > 0 and < 3)
        {
            row.Error(Chain, "„Dienstleistungskette-ID“, „Kettenversion“ und „Kettenschritt“ gehören zusammen.");
        }
        else if (chainId is { } cid && chainVersion is { } version && stepOrder is { } order)
        {
            chain = chains.SingleOrDefault(c => c.ChainId == cid && c.Version == version);
            step = chain?.Steps.SingleOrDefault(s => s.Order == order);
            if (chain is null)
            {
                row.Error(Chain, "Keine beschlossene Version einer Dienstleistungskette.");
            }
            else if (step is null)
            {
                row.Error(ChainStep, $"Die Kette hat keinen Schritt {order}.");
            }
            else
            {
                if (providerId is { } p && p != step.ResponsibleOrganisationId)
                {
                    row.Error(Provider, $"Der Kettenschritt liegt bei „{step.ResponsibleOrganisationName}“ ({step.ResponsibleOrganisationId}).");
                }

                if (lifeDomain is { } life && life != chain.LifeDomain)
                {
                    row.Error(LifeDomainColumn, $"Die Kette gehört zum Lebensbereich {chain.LifeDomain}; lassen Sie die Spalte leer oder tragen Sie diesen ein.");
                }

                if (legalDomain is { } legal && legal != step.LegalDomain)
                {
                    row.Error(LegalDomainColumn, $"Der Kettenschritt gehört zum Rechtskreis {step.LegalDomain}; lassen Sie die Spalte leer oder tragen Sie diesen ein.");
                }
            }
        }
        else if (chainColumns == 0)
        {
            foreach (var (column, value) in new (string, object?)[] { (LifeDomainColumn, lifeDomain), (LegalDomainColumn, legalDomain), (TargetDays, targetDays) })
            {
                if (value is null && row.Raw(column) is null)
                {
                    row.Error(column, "Pflichtangabe, wenn kein Kettenschritt angegeben ist.");
                }
            }
        }

        var steps = StatusSteps(row, issued, accepted, started, completed, rejected, cancelled);
        var end = steps.LastOrDefault().Status;
        if (end == ReferralStatus.Completed)
        {
            if (successful is null && row.Raw(Successful) is null)
            {
                row.Error(Successful, "Pflichtangabe bei einer abgeschlossenen Vermittlung („ja“ oder „nein“).");
            }
            else if (successful == false && failureReason is null && row.Raw(FailureReason) is null)
            {
                row.Error(FailureReason, "Geben Sie an, warum die Vermittlung nicht erfolgreich war.");
            }
            else if (successful == true && failureReason is not null)
            {
                row.Error(FailureReason, "Nur bei einer nicht erfolgreichen Vermittlung.");
            }
        }
        else
        {
            if (row.Raw(Successful) is not null || row.Raw(FailureReason) is not null)
            {
                row.Error(row.Raw(Successful) is not null ? Successful : FailureReason, "Nur bei einer abgeschlossenen Vermittlung („Abgeschlossen am“).");
            }

            if (end is ReferralStatus.Rejected or ReferralStatus.Cancelled && reason is null && row.Raw(Reason) is null)
            {
                row.Error(Reason, "Pflichtangabe bei einer abgelehnten oder abgebrochenen Vermittlung.");
            }
            else if (end is not (ReferralStatus.Rejected or ReferralStatus.Cancelled) && reason is not null)
            {
                row.Error(Reason, "Nur bei einer abgelehnten, abgebrochenen oder abgeschlossenen Vermittlung.");
            }
        }

        // The case's state at each date: in the service steering (or later) when issued, not yet closed at any change.
        if (@case is not null && issued is { } issuedAt)
        {
            var steering = @case.History.Where(h => h.To == CasePhase.ServiceSteering && !h.IsBackward).Select(h => (DateTime?)h.At).Min();
            if (steering is null)
            {
                row.Error(Issued, "Der Fall hat die Leistungssteuerung nie erreicht; Vermittlungen gibt es erst ab dieser Phase.");
            }
            else if (issuedAt < steering)
            {
                row.Error(Issued, "Liegt vor dem Beginn der Leistungssteuerung des Falls.");
            }

            var (lastStatus, lastAt) = steps.Count > 0 ? steps[^1] : (ReferralStatus.Issued, issuedAt);
            if (@case.ClosedAt is { } closedAt && lastAt > closedAt)
            {
                row.Error(ColumnOf(lastStatus), "Liegt nach dem Abschluss des Falls.");
            }
        }

        if (row.ErrorCount > 0)
        {
            return null;
        }

        var resolvedLife = chain?.LifeDomain ?? lifeDomain!.Value;
        var resolvedLegal = step?.LegalDomain ?? legalDomain!.Value;
        return new Row(row.Row, @case!, provider!, title ?? step?.Activity ?? DefaultTitle, resolvedLife, resolvedLegal,
            targetDays ?? step!.TargetDays, chain, step?.Order, issued!.Value, steps, reason, successful, failureReason);
    }

    /// <summary>
    /// The statuses after the issue, in order, as ReferralRules allows them: accepted, started, then completed; rejected
    /// before the start; cancelled at any point; at most one end; each date no earlier than the one before.
    /// </summary>
    private static List<(ReferralStatus Status, DateTime At)> StatusSteps(
        ImportRow row, DateTime? issued, DateTime? accepted, DateTime? started, DateTime? completed, DateTime? rejected, DateTime? cancelled)
    {
        var steps = new List<(ReferralStatus Status, DateTime At)>();
        var ends = new[] { (ReferralStatus.Completed, completed), (ReferralStatus.Rejected, rejected), (ReferralStatus.Cancelled, cancelled) }
            .Where(e => e.Item2 is not null).ToList();
        if (ends.Count > 1)
        {
            row.Error(ColumnOf(ends[1].Item1), "Eine Vermittlung endet nur einmal: abgeschlossen, abgelehnt oder abgebrochen.");
            return steps;
        }

        if (accepted is { } a)
        {
            steps.Add((ReferralStatus.Accepted, a));
        }

        if (started is { } s)
        {
            steps.Add((ReferralStatus.Started, s));
        }

        if (ends.Count == 1)
        {
            steps.Add((ends[0].Item1, ends[0].Item2!.Value));
        }

        var from = ReferralStatus.Issued;
        var previous = issued;
        foreach (var (status, at) in steps)
        {
            if (!ReferralRules.Allowed(from).Contains(status))
            {
                row.Error(ColumnOf(status), from == ReferralStatus.Issued
                    ? $"Nach der Ausstellung folgt {Label(status)} nicht unmittelbar; möglich: angenommen, abgelehnt oder abgebrochen."
                    : $"Auf „{Label(from)}“ folgt nicht „{Label(status)}“.");
                return steps;
            }

            if (previous is { } before && at < before)
            {
                row.Error(ColumnOf(status), $"Liegt vor „{(from == ReferralStatus.Issued ? Issued : ColumnOf(from))}“.");
            }

            from = status;
            previous = at;
        }

        return steps;
    }

    private static string ColumnOf(ReferralStatus status) => status switch
    {
        ReferralStatus.Accepted => Accepted,
        ReferralStatus.Started => Started,
        ReferralStatus.Completed => Completed,
        ReferralStatus.Rejected => Rejected,
        ReferralStatus.Cancelled => Cancelled,
        _ => Issued,
    };

    private static string Label(ReferralStatus status) => status switch
    {
        ReferralStatus.Accepted => "angenommen",
        ReferralStatus.Started => "begonnen",
        ReferralStatus.Completed => "abgeschlossen",
        ReferralStatus.Rejected => "abgelehnt",
        ReferralStatus.Cancelled => "abgebrochen",
        _ => "ausgestellt",
    };

    /// <summary>The plan item and the referral as the live API would have created them, with the original times.</summary>
    private static void Stage(Row row, CaseServices services, ImportEvents events)
    {
        var item = new PlanItem
        {
            Id = Guid.CreateVersion7(),
            CaseId = row.Case.Id,
            Title = row.Title,
            LifeDomain = row.LifeDomain,
            LegalDomain = row.LegalDomain,
            ResponsibleOrganisationId = row.Provider.Id,
            ResponsibleOrganisationName = row.Provider.Name,
            TargetDays = row.TargetDays,
            ServiceChainId = row.Chain?.ChainId,
            ServiceChainVersion = row.Chain?.Version,
            ChainStepOrder = row.StepOrder,
            PlannedAt = row.Issued,
        };
        services.Db.PlanItems.Add(item);
        services.Audit("plan-item.added", "case", row.Case.Id);

        // Imported referrals are not forwarded: the provider's own tenant never knew them, so their status is kept here.
        var referral = new Referral
        {
            Id = Guid.CreateVersion7(),
            CaseId = row.Case.Id,
            PlanItemId = item.Id,
            ProviderOrganisationId = row.Provider.Id,
            ProviderOrganisationName = row.Provider.Name,
            ProviderType = row.Provider.Type,
            ProviderTenantId = null,
            LegalDomain = item.LegalDomain,
            LifeDomain = item.LifeDomain,
            TargetDays = item.TargetDays,
            SharesPersonalData = false,
            IssuedAt = row.Issued,
        };
        services.Db.Referrals.Add(referral);
        events.Add(new ReferralIssued
        {
            TenantId = services.TenantId,
            CaseKey = row.Case.CaseKey,
            ReferralId = referral.Id,
            ProviderOrganisationId = row.Provider.Id,
            ProviderOrganisationName = row.Provider.Name,
            ProviderTenantId = null,
            LegalDomain = referral.LegalDomain,
            LifeDomain = referral.LifeDomain,
            ServiceChainId = item.ServiceChainId,
            ServiceChainVersion = item.ServiceChainVersion,
            ChainStepOrder = item.ChainStepOrder,
            TargetDays = referral.TargetDays,
            OccurredAt = row.Issued,
        });
        services.Audit("referral.issued", "referral", referral.Id);

        foreach (var (status, at) in row.Steps)
        {
            ReferralRules.Apply(referral, status, at, row.Reason, row.Successful, row.FailureReason);
            events.Add(new ReferralStatusChanged
            {
                TenantId = services.TenantId,
                CaseKey = row.Case.CaseKey,
                ReferralId = referral.Id,
                Status = referral.Status,
                Reason = referral.Reason,
                Successful = referral.Successful,
                FailureReason = referral.FailureReason,
                OccurredAt = at,
            });
            services.Audit("referral.status-changed", "referral", referral.Id);
        }
    }
}
