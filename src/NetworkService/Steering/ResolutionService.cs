using System.Globalization;
using Kim.Contracts.Network;
using Kim.NetworkService.GoalSystems;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.ServiceChains;
using Kim.NetworkService.Themes;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Steering;

/// <summary>Decides motions: rules in force, preconditions of what a motion brings about, register numbers and effects.</summary>
public sealed class ResolutionService(NetworkDbContext db)
{
    /// <summary>The rules in force, or the constituent rules while none has been adopted yet.</summary>
    public async Task<RulesOfProcedure> RulesInForceAsync(CancellationToken cancellationToken) =>
        await db.RulesOfProcedure.AsNoTracking().SingleOrDefaultAsync(r => r.Status == RulesStatus.InForce, cancellationToken)
        ?? RulesOfProcedure.Constituent;

    /// <summary>The members who have the voting right on <paramref name="day"/> (members whose membership ended by then do not).</summary>
    public Task<List<Guid>> VotingMembersAsync(DateOnly day, CancellationToken cancellationToken) =>
        db.SteeringMembers.Where(SteeringMember.VotesOn(day)).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(cancellationToken);

    /// <summary>Why the motion cannot be decided now, or null when it can.</summary>
    /// <param name="rules">The rules the motion would be decided under; null when only tabling it.</param>
    public async Task<string?> ObstacleAsync(Motion motion, RulesOfProcedure? rules, CancellationToken cancellationToken)
    {
        if (rules is { Version: 0 } && motion.Kind != MotionKind.AdoptRules)
        {
            return "Es gilt noch keine Geschäftsordnung; die konstituierende Sitzung kann nur die erste Geschäftsordnung beschließen.";
        }

        switch (motion.Kind)
        {
            case MotionKind.AdoptRules:
                var rulesDraft = await db.RulesOfProcedure.AsNoTracking().SingleOrDefaultAsync(r => r.Id == motion.SubjectId, cancellationToken);
                return rulesDraft is null ? "Die Geschäftsordnung dieses Antrags gibt es nicht."
                    : rulesDraft.Status != RulesStatus.Draft ? $"Diese Fassung der Geschäftsordnung hat den Status {rulesDraft.Status} und ist kein Entwurf." : null;
            case MotionKind.MandateWorkingGroup:
                var group = await db.WorkingGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == motion.SubjectId, cancellationToken);
                return group is null ? "Die Arbeitsgruppe dieses Antrags gibt es nicht."
                    : group.Status != WorkingGroupStatus.Proposed ? "Die Arbeitsgruppe hat ihr Mandat bereits." : null;
            case MotionKind.AssignTheme:
                var theme = await db.Themes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == motion.SubjectId, cancellationToken);
                var target = await db.WorkingGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == motion.TargetWorkingGroupId, cancellationToken);
                return theme is null ? "Das Thema dieses Antrags gibt es nicht."
                    : theme.Status != ThemeStatus.Proposed ? "Das Thema ist bereits einer Arbeitsgruppe zugewiesen."
                    : target is null ? "Die Arbeitsgruppe dieses Antrags gibt es nicht."
                    : target.Status != WorkingGroupStatus.Mandated ? "Ein Thema kann nur einer Arbeitsgruppe mit Mandat zugewiesen werden." : null;
            case MotionKind.DecideWorkingGroupResult:
                var result = await db.WorkingGroupResults.AsNoTracking().SingleOrDefaultAsync(r => r.Id == motion.SubjectId, cancellationToken);
                return result is null ? "Das Arbeitsgruppenergebnis dieses Antrags gibt es nicht."
                    : result.Status != ResultStatus.Submitted ? $"Das Ergebnis hat bereits den Status {result.Status}." : null;
            case MotionKind.AdoptGoalSystem:
                var goals = await db.GoalSystems.AsNoTracking().SingleOrDefaultAsync(g => g.Id == motion.SubjectId, cancellationToken);
                return goals is null ? "Das Zielsystem dieses Antrags gibt es nicht."
                    : goals.Status != GoalSystemStatus.Draft ? $"Diese Fassung des Zielsystems hat den Status {goals.Status} und ist kein Entwurf." : null;
            case MotionKind.AdoptServiceChain:
                var chain = await db.ServiceChains.AsNoTracking().SingleOrDefaultAsync(c => c.Id == motion.SubjectId, cancellationToken);
                return chain is null ? "Die Dienstleistungskette dieses Antrags gibt es nicht."
                    : chain.Status != ServiceChainStatus.Draft ? $"Diese Fassung der Dienstleistungskette hat den Status {chain.Status} und ist kein Entwurf." : null;
            default:
                return null;
        }
    }

    /// <summary>Records the outcome; an adopted motion becomes a numbered resolution and takes effect. Saved by the caller.</summary>
    public async Task DecideAsync(Motion motion, Tally tally, VoteOutcome outcome, ResolutionProcedure procedure, DateTime now, CancellationToken cancellationToken)
    {
        motion.Revision++;
        motion.Yes = tally.Yes;
        motion.No = tally.No;
        motion.Abstentions = tally.Abstentions;
        motion.Procedure = procedure;
        motion.DecidedAt = now;
        if (outcome == VoteOutcome.Rejected)
        {
            motion.Status = MotionStatus.Rejected;
            return;
        }

        motion.Status = MotionStatus.Adopted;
        motion.Implementation = ImplementationStatus.Open;
        motion.RegisterNumber = await NextRegisterNumberAsync(now.Year, cancellationToken);
        await ApplyAsync(motion, now, cancellationToken);
        db.AddIntegrationEvent(new ResolutionAdopted
        {
            ResolutionId = motion.Id,
            RegisterNumber = motion.RegisterNumber,
            Title = motion.Title,
            IsBinding = motion.IsBinding,
            Procedure = procedure,
            Yes = tally.Yes,
            No = tally.No,
            Abstentions = tally.Abstentions,
            OccurredAt = now,
        }, now);
    }

    /// <summary>Closes a circular ballot when its deadline passed or its outcome can no longer change. Saved by the caller.</summary>
    public async Task<bool> SettleCircularAsync(Motion motion, DateTime now, CancellationToken cancellationToken)
    {
        if (motion.Status != MotionStatus.CircularBallot)
        {
            return false;
        }

        var (result, tally) = await EvaluateCircularAsync(motion, now, cancellationToken);
        if (result == CircularResult.Open)
        {
            return false;
        }

        motion.CircularResult = result;
        await DecideAsync(motion, tally, result == CircularResult.Adopted ? VoteOutcome.Adopted : VoteOutcome.Rejected,
            ResolutionProcedure.Circular, now, cancellationToken);
        return true;
    }

    /// <summary>Where a running circular ballot stands at <paramref name="now"/>, from the votes saved; changes nothing.</summary>
    public async Task<(CircularResult Result, Tally Tally)> EvaluateCircularAsync(Motion motion, DateTime now, CancellationToken cancellationToken)
    {
        var choices = await db.Votes.Where(v => v.MotionId == motion.Id).Select(v => v.Choice).ToListAsync(cancellationToken);
        var tally = Tally.Of(choices);
        var result = CircularBallot.Evaluate(motion.Majority!.Value, motion.CircularParticipationPercent, motion.CircularEligible, tally,
            motion.CircularDeadline!.Value, now);
        return (result, tally);
    }

    private async Task<string> NextRegisterNumberAsync(int year, CancellationToken cancellationToken)
    {
        var prefix = $"LG-{year.ToString(CultureInfo.InvariantCulture)}-";
        var numbers = await db.Motions.Where(m => m.RegisterNumber != null && m.RegisterNumber.StartsWith(prefix))
            .Select(m => m.RegisterNumber!).ToListAsync(cancellationToken);
        var pending = db.ChangeTracker.Entries<Motion>().Select(e => e.Entity.RegisterNumber)
            .Where(n => n is not null && n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => n!);
        var next = numbers.Concat(pending).Select(n => int.Parse(n[prefix.Length..], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1;
        return prefix + next.ToString("00", CultureInfo.InvariantCulture);
    }

    private async Task ApplyAsync(Motion motion, DateTime now, CancellationToken cancellationToken)
    {
        var number = motion.RegisterNumber!;
        switch (motion.Kind)
        {
            case MotionKind.AdoptRules:
                var previous = await db.RulesOfProcedure.Where(r => r.Status == RulesStatus.InForce).ToListAsync(cancellationToken);
                previous.ForEach(r => r.Status = RulesStatus.Superseded);
                var rules = await db.RulesOfProcedure.SingleAsync(r => r.Id == motion.SubjectId, cancellationToken);
                rules.Status = RulesStatus.InForce;
                rules.ResolutionNumber = number;
                rules.InForceSince = now;
                db.AddIntegrationEvent(new RulesOfProcedureAdopted
                {
                    Version = rules.Version,
                    ResolutionNumber = number,
                    CircularResolutionsAllowed = rules.CircularAllowed,
                    OccurredAt = now,
                }, now);
                break;
            case MotionKind.MandateWorkingGroup:
                var group = await db.WorkingGroups.SingleAsync(g => g.Id == motion.SubjectId, cancellationToken);
                group.Status = WorkingGroupStatus.Mandated;
                group.ResolutionNumber = number;
                if (group.ThemeId is { } themeId && await db.Themes.SingleOrDefaultAsync(t => t.Id == themeId, cancellationToken) is { Status: ThemeStatus.Proposed } source)
                {
                    source.Status = ThemeStatus.Assigned;
                    source.WorkingGroupId = group.Id;
                    source.AssignedByResolution = number;
                }

                db.AddIntegrationEvent(new WorkingGroupMandated
                {
                    WorkingGroupId = group.Id,
                    Name = group.Name,
                    ThemeId = group.ThemeId,
                    ResolutionNumber = number,
                    OccurredAt = now,
                }, now);
                break;
            case MotionKind.AssignTheme:
                var theme = await db.Themes.SingleAsync(t => t.Id == motion.SubjectId, cancellationToken);
                theme.Status = ThemeStatus.Assigned;
                theme.WorkingGroupId = motion.TargetWorkingGroupId;
                theme.AssignedByResolution = number;
                var target = await db.WorkingGroups.SingleAsync(g => g.Id == motion.TargetWorkingGroupId, cancellationToken);
                target.ThemeId ??= theme.Id;
                break;
            case MotionKind.DecideWorkingGroupResult:
                var result = await db.WorkingGroupResults.SingleAsync(r => r.Id == motion.SubjectId, cancellationToken);
                result.Status = motion.ResultDecision switch
                {
                    ResultDecision.Adopt => ResultStatus.Adopted,
                    ResultDecision.Reject => ResultStatus.Rejected,
                    _ => ResultStatus.Returned,
                };
                result.ResolutionNumber = number;
                break;
            case MotionKind.AdoptGoalSystem:
                var goals = await db.GoalSystems.SingleAsync(g => g.Id == motion.SubjectId, cancellationToken);
                var olderGoals = await db.GoalSystems
                    .Where(g => g.WorkingGroupId == goals.WorkingGroupId && g.Status == GoalSystemStatus.Adopted).ToListAsync(cancellationToken);
                olderGoals.ForEach(g => g.Status = GoalSystemStatus.Superseded);
                goals.Status = GoalSystemStatus.Adopted;
                goals.ResolutionNumber = number;
                db.AddIntegrationEvent(new GoalSystemAdopted
                {
                    GoalSystemId = goals.Id,
                    Version = goals.Version,
                    ThemeId = goals.ThemeId,
                    Indicators = goals.Tree.IndicatorCount,
                    ResolutionNumber = number,
                    OccurredAt = now,
                }, now);
                break;
            case MotionKind.AdoptServiceChain:
                var chain = await db.ServiceChains.SingleAsync(c => c.Id == motion.SubjectId, cancellationToken);
                var olderChains = await db.ServiceChains
                    .Where(c => c.ChainId == chain.ChainId && c.Status == ServiceChainStatus.Adopted).ToListAsync(cancellationToken);
                olderChains.ForEach(c => c.Status = ServiceChainStatus.Superseded);
                chain.Status = ServiceChainStatus.Adopted;
                chain.ResolutionNumber = number;
                var organisationIds = chain.Steps.Select(s => s.ResponsibleOrganisationId).Distinct().ToList();
                var names = await db.Organisations.Where(o => organisationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
                db.AddIntegrationEvent(new ServiceChainAdopted
                {
                    ChainId = chain.ChainId,
                    Version = chain.Version,
                    Title = chain.Title,
                    LifeDomain = chain.LifeDomain,
                    Steps = chain.Steps.Select(s => new ChainStep(s.Order, s.Activity, s.ResponsibleOrganisationId,
                        names.GetValueOrDefault(s.ResponsibleOrganisationId, ""), s.LegalDomain,
                        new HandoverPoint(s.Preconditions, s.Guarantees, s.Standards), s.TargetDays)).ToList(),
                    ResolutionNumber = number,
                    OccurredAt = now,
                }, now);
                break;
        }
    }
}
