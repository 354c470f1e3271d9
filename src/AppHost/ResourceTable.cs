using System.Text;

namespace Kim.AppHost;

public static class ResourceTable
{
    public static string Render(PlatformRunner platform, PlatformPaths paths, TimeSpan startup)
    {
        var rows = new List<(string Name, string State, string Url, string Detail)>
        {
            ("messaging", "running", Redact(platform.Broker.AmqpUri), platform.Broker.Origin),
        };
        rows.AddRange(platform.Resources.Select(r => (r.Name, "healthy", r.Url.ToString().TrimEnd('/'), ShortPath(paths.RepositoryRoot, r.LogFile))));
        var widths = (rows.Max(r => r.Name.Length), rows.Max(r => r.State.Length), rows.Max(r => r.Url.Length));
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"{"resource".PadRight(widths.Item1)}  {"state".PadRight(widths.Item2)}  {"url".PadRight(widths.Item3)}  details");
        foreach (var row in rows)
        {
            text.AppendLine($"{row.Name.PadRight(widths.Item1)}  {row.State.PadRight(widths.Item2)}  {row.Url.PadRight(widths.Item3)}  {row.Detail}");
        }

        text.AppendLine();
        text.AppendLine($"Platform ready in {startup.TotalSeconds:0.0} s. Gateway: {platform.GatewayUrl.ToString().TrimEnd('/')}");
        text.AppendLine("Token:   dotnet run --project src/AppHost -- token --tenant caritas --role case-manager --user anna");
        text.Append("Ctrl+C stops everything.");
        return text.ToString();
    }

    private static string ShortPath(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static string Redact(Uri uri) => new UriBuilder(uri) { Password = uri.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();
}
