using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Themes;

/// <summary>Groups the barriers of anonymised case reconstructions by theme tag and life domain into generative themes.</summary>
public sealed class CaseReconstructionSubmittedHandler(NetworkDbContext db, TimeProvider clock, ILogger<CaseReconstructionSubmittedHandler> logger)
    : IdempotentConsumer<CaseReconstructionSubmitted, NetworkDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(CaseReconstructionSubmitted message, ConsumeContext<CaseReconstructionSubmitted> context)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var keys = message.Barriers
            .SelectMany(b => b.ThemeTags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => (Title: t.Trim(), Tag: GenerativeTheme.NormaliseTag(t), b.LifeDomain)))
            .DistinctBy(k => (k.Tag, k.LifeDomain))
            .ToList();
        var created = new List<GenerativeTheme>();
        foreach (var key in keys)
        {
            var theme = await Db.Themes.SingleOrDefaultAsync(t => t.Tag == key.Tag && t.LifeDomain == key.LifeDomain, context.CancellationToken);
            if (theme is null)
            {
                theme = new GenerativeTheme
                {
                    Id = Guid.CreateVersion7(),
                    Title = key.Title.Length > 200 ? key.Title[..200] : key.Title,
                    Tag = key.Tag.Length > 100 ? key.Tag[..100] : key.Tag,
                    LifeDomain = key.LifeDomain,
                    Source = ThemeSource.Reconstructions,
                    Status = ThemeStatus.Proposed,
                    ProposedAt = now,
                };
                Db.Themes.Add(theme);
                created.Add(theme);
            }

            var themeId = theme.Id;
            if (!await Db.ThemeEvidence.AnyAsync(e => e.ThemeId == themeId && e.ReconstructionId == message.ReconstructionId, context.CancellationToken))
            {
                Db.ThemeEvidence.Add(new ThemeEvidence
                {
                    ThemeId = themeId,
                    ReconstructionId = message.ReconstructionId,
                    TenantId = message.TenantId,
                    ReceivedAt = now,
                });
            }
        }

        foreach (var theme in created)
        {
            Db.AddIntegrationEvent(new GenerativeThemeProposed
            {
                ThemeId = theme.Id,
                Title = theme.Title,
                LifeDomain = theme.LifeDomain,
                Source = ThemeSource.Reconstructions,
                Reconstructions = 1,
                Tenants = 1,
                OccurredAt = now,
            }, now);
        }
    }
}
