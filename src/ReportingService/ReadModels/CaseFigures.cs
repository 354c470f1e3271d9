using Kim.Contracts;
using Kim.Contracts.Cases;

namespace Kim.ReportingService.ReadModels;

/// <summary>
/// What one case adds to the read model, computed from that case's events alone (pure). A case's events may arrive in
/// any order and more than once by different queues; its figures are always those of its events in the order they
/// happened, so adding an event means: the case's figures with it minus its figures without it.
/// </summary>
public static class CaseFigures
{
    /// <summary>The order events happened in; equal times are ordered by message id, so the result never depends on arrival.</summary>
    public static IOrderedEnumerable<T> InOrder<T>(IEnumerable<T> events) where T : IntegrationEvent =>
        events.OrderBy(e => e.OccurredAt).ThenBy(e => e.MessageId);

    /// <summary>The figures of one case from its events (any order; duplicates by message id count once).</summary>
    public static Contributions Of(IEnumerable<CaseIntegrationEvent> caseEvents)
    {
        var events = InOrder(caseEvents.DistinctBy(e => e.MessageId)).ToList();
        var figures = new Contributions();
        if (events.Count == 0)
        {
            return figures;
        }

        PhaseStays(events, figures);
        Goals(events, figures);
        Overview(events, figures);
        Referrals(events, figures);
        var opened = events.OfType<CaseOpened>().Any();
        foreach (var review in events.OfType<CaseReviewHeld>())
        {
            figures.Add(CounterKey.Of(Figure.Reviews, review.Kind.ToString(), review.OccurredAt));
        }

        if (opened)
        {
            figures.Add(CounterKey.Of(Figure.CasesOpened));
            if (events.OfType<ReferralIssued>().Any())
            {
                figures.Add(CounterKey.Of(Figure.CasesReferred));
            }
        }

        if (events.OfType<CasePhaseChanged>().FirstOrDefault(c => c.To == CasePhase.Assessment && !c.IsBackward) is { } taken)
        {
            figures.Add(CounterKey.Of(Figure.CasesTaken, month: taken.OccurredAt));
        }

        return figures;
    }

    /// <summary>
    /// What an event that belongs to no case adds: the reconstructions per month, and their barriers per chain step they
    /// name (or per provider, where they name a provider only).
    /// </summary>
    public static Contributions OfEvent(IntegrationEvent integrationEvent)
    {
        var figures = new Contributions();
        if (integrationEvent is CaseReconstructionSubmitted reconstruction)
        {
            figures.Add(CounterKey.Of(Figure.Reconstructions, month: reconstruction.OccurredAt));
            foreach (var barrier in reconstruction.Barriers)
            {
                if (barrier is { ServiceChainId: { } chain, ServiceChainVersion: { } version, ChainStepOrder: { } order })
                {
                    figures.Add(CounterKey.Of(Figure.StepBarriers, Figure.Step(chain, version, order), reconstruction.OccurredAt));
                }
                else if (barrier.ProviderOrganisationId is { } provider)
                {
                    figures.Add(CounterKey.Of(Figure.ProviderBarriers, provider.ToString("D"), reconstruction.OccurredAt));
                }
            }
        }

        return figures;
    }

    /// <summary>The read model of a whole history, in memory: what the stored counters hold after consuming it.</summary>
    public static Contributions OfHistory(IEnumerable<IntegrationEvent> history)
    {
        var all = new Contributions();
        var events = history.ToList();
        foreach (var caseEvents in events.OfType<CaseIntegrationEvent>().Where(e => EventStore.StoredEvents.CaseKeyOf(e) is not null).GroupBy(e => (e.TenantId, e.CaseKey)))
        {
            all.Add(Of(caseEvents));
        }

        foreach (var other in events.Where(e => EventStore.StoredEvents.CaseKeyOf(e) is null).DistinctBy(e => e.MessageId))
        {
            all.Add(OfEvent(other));
        }

        return all;
    }

    /// <summary>
    /// Every completed stay in a phase (entered, then left by any change), counted by its hours over the whole history:
    /// the histogram's size depends on how long stays are, not on how many months the history has.
    /// </summary>
    private static void PhaseStays(List<CaseIntegrationEvent> events, Contributions figures)
    {
        (CasePhase Phase, DateTime Since)? current = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case CaseOpened opened:
                    current = (CasePhase.Intake, opened.OccurredAt);
                    break;
                case CasePhaseChanged changed when current is { } stay:
                    figures.Add(CounterKey.Of(Figure.Stay, stay.Phase.ToString(), bucket: Figure.Hours(changed.OccurredAt - stay.Since)));
                    current = (changed.To, changed.OccurredAt);
                    break;
                case CaseNotIndicated ended when current is { } intake:
                    figures.Add(CounterKey.Of(Figure.Stay, intake.Phase.ToString(), bucket: Figure.Hours(ended.OccurredAt - intake.Since)));
                    current = null;
                    break;
            }
        }
    }

    /// <summary>Goals agreed, and what the case's latest closure evaluated.</summary>
    private static void Goals(List<CaseIntegrationEvent> events, Contributions figures)
    {
        foreach (var goal in events.OfType<GoalAgreed>())
        {
            figures.Add(CounterKey.Of(Figure.GoalsAgreed, month: goal.OccurredAt));
        }

        if (events.OfType<CaseClosed>().LastOrDefault() is { } closed)
        {
            figures.Add(CounterKey.Of(Figure.GoalsEvaluated, month: closed.OccurredAt), closed.GoalsAgreed);
            figures.Add(CounterKey.Of(Figure.GoalsAchieved, month: closed.OccurredAt), closed.GoalsAchieved);
            figures.Add(CounterKey.Of(Figure.GoalsPartlyAchieved, month: closed.OccurredAt), closed.GoalsPartlyAchieved);
        }
    }

    /// <summary>The case's current state for the municipal overview: the latest fact decides its phase and whether it ended.</summary>
    private static void Overview(List<CaseIntegrationEvent> events, Contributions figures)
    {
        if (events.OfType<CaseOpened>().LastOrDefault() is not { } opening)
        {
            // Only later events arrived so far: the case is not counted until its opening is known.
            return;
        }

        var (phase, endedAt) = (CasePhase.Intake, (DateTime?)null);
        foreach (var e in events)
        {
            (phase, endedAt) = e switch
            {
                CaseClosed closed => (CasePhase.Closure, closed.OccurredAt),
                CaseNotIndicated notIndicated => (CasePhase.Intake, notIndicated.OccurredAt),
                CasePhaseChanged changed => (changed.To, changed.To == CasePhase.Closure ? changed.OccurredAt : (DateTime?)null),
                _ => (phase, endedAt),
            };
        }

        figures.Add(CounterKey.Of(Figure.Opened, month: opening.OccurredAt));
        if (endedAt is { } ended)
        {
            figures.Add(CounterKey.Of(Figure.Ended, month: ended));
            return;
        }

        figures.Add(CounterKey.Of(Figure.OpenByTenant, opening.TenantId));
        figures.Add(CounterKey.Of(Figure.OpenByPhase, phase.ToString()));
        figures.Add(CounterKey.Of(Figure.OpenByResidence, opening.ResidenceCategory));
        figures.Add(CounterKey.Of(Figure.OpenByAge, opening.AgeBand));
    }

    /// <summary>
    /// Per referral: its current status, provider and legal domain; per chain step and month of issue: referrals, target
    /// days, answered, late and rejected ones, the handover time (issue to the provider's first answer: accepted,
    /// rejected, started or completed) and when a referral was withdrawn before any answer. Referrals still waiting for
    /// an answer are kept with their issue and due time (docs/reporting.md, "Handover time").
    /// </summary>
    private static void Referrals(List<CaseIntegrationEvent> events, Contributions figures)
    {
        foreach (var referral in events.OfType<ReferralIssued>().DistinctBy(r => r.ReferralId))
        {
            var changes = events.OfType<ReferralStatusChanged>().Where(c => c.ReferralId == referral.ReferralId).ToList();
            var status = changes.Count == 0 ? ReferralStatus.Issued : changes[^1].Status;
            var answer = changes.FirstOrDefault(c => c.Status is not (ReferralStatus.Issued or ReferralStatus.Cancelled));
            var withdrawn = answer is null ? changes.FirstOrDefault(c => c.Status == ReferralStatus.Cancelled) : null;
            var open = status is ReferralStatus.Issued or ReferralStatus.Accepted or ReferralStatus.Started;
            var due = ReferralTarget.DueAt(referral.OccurredAt, referral.TargetDays);
            figures.Add(CounterKey.Of(Figure.ReferralStatus, status.ToString()));
            figures.Add(CounterKey.Of(Figure.ReferralsIssued, month: referral.OccurredAt));
            figures.Add(CounterKey.Of(Figure.ReferralProvider, referral.ProviderOrganisationName));
            figures.Add(CounterKey.Of(Figure.ReferralDomain, referral.LegalDomain.ToString()));
            string? step = null;
            if (referral is { ServiceChainId: { } chain, ChainStepOrder: { } order })
            {
                step = Figure.Step(chain, referral.ServiceChainVersion ?? 1, order);
                var issued = referral.OccurredAt;
                figures.Add(CounterKey.Of(Figure.StepReferrals, step, issued));
                figures.Add(CounterKey.Of(Figure.StepTarget, step, bucket: referral.TargetDays));
                if (answer is not null)
                {
                    figures.Add(CounterKey.Of(Figure.StepDecided, step, issued));
                    figures.Add(CounterKey.Of(Figure.StepHandover, step, issued, Figure.Hours(answer.OccurredAt - issued)));
                    if (answer.OccurredAt >= due)
                    {
                        figures.Add(CounterKey.Of(Figure.StepLate, step, issued));
                    }
                }
                else if (withdrawn is not null)
                {
                    figures.Add(CounterKey.Of(Figure.StepWithdrawn, step, issued, Figure.Hours(withdrawn.OccurredAt - issued)));
                }

                if (changes.Any(c => c.Status == ReferralStatus.Rejected))
                {
                    figures.Add(CounterKey.Of(Figure.StepRejected, step, issued));
                }
            }

            if (open)
            {
                figures.Add(CounterKey.Of(Figure.ReferralsOpen));
            }

            if (status == ReferralStatus.Issued && answer is null)
            {
                figures.OpenReferrals.Add(new OpenReferral
                {
                    ReferralId = referral.ReferralId,
                    TenantId = referral.TenantId,
                    CaseKey = referral.CaseKey,
                    Step = step,
                    IssuedAt = referral.OccurredAt,
                    DueAt = due,
                });
            }
        }
    }
}
