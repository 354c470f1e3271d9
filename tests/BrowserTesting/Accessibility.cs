using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Kim.BrowserTesting;

/// <summary>axe-core against WCAG 2.1 A and AA (BITV 2.0), run on a page as it is now.</summary>
public static class Accessibility
{
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        // Nodes are listed for violations only: passes and inapplicable rules listed node by node cost the most time.
        ResultTypes = [ResultType.Violations],
        // The platform's pages have no frames.
        Iframes = false,
    };

    /// <summary>
    /// Runs axe in the page itself (axe.run). The default mode (runPartial, then finishRun in a page of its own) exists
    /// for frames from other origins and opens and loads a second page for every check.
    /// </summary>
    public static Task<AxeResult> CheckAsync(IPage page)
    {
        // Marked obsolete by the package ("may be removed in future"): should it go, inject axe.min.js and call axe.run here.
#pragma warning disable CS0618
        return page.RunAxeLegacy(options: Options);
#pragma warning restore CS0618
    }

    /// <summary>Each violation in one line: the state, the rule, its impact and help, and where it was found.</summary>
    public static IReadOnlyList<string> Describe(AxeResult result, string state) =>
        [.. result.Violations.Select(v => $"{state}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")];
}
