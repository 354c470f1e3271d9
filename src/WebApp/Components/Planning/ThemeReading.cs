using Kim.WebApp.Clients.Network;
using Kim.WebApp.Clients.Network.Models;

namespace Kim.WebApp.Components.Planning;

/// <summary>The generative themes with their barrier texts and the titles of the chains they name, as both theme pages read them.</summary>
public sealed record ThemeReading(List<ThemeResponse> Themes, Dictionary<Guid, string> Chains, Dictionary<Guid, List<ThemeBarrierResponse>> Barriers)
{
    public static async Task<ThemeReading> LoadAsync(NetworkClient api)
    {
        var themes = await api.Api.Network.Themes.GetAsync() ?? [];
        var chains = (await api.Api.Network.ServiceChains.GetAsync() ?? []).Where(c => c.ChainId is not null)
            .GroupBy(c => c.ChainId!.Value).ToDictionary(g => g.Key, g => g.First().Title ?? "");
        var barriers = new Dictionary<Guid, List<ThemeBarrierResponse>>();
        foreach (var t in themes.Where(t => t.Id is not null))
        {
            barriers[t.Id!.Value] = await api.Api.Network.Themes[t.Id!.Value].Barriers.GetAsync() ?? [];
        }

        return new ThemeReading(themes, chains, barriers);
    }
}
