namespace Kim.Hosting;

/// <summary>The command line's registration at the provider: a public client with PKCE whose redirect address is never served (the CLI reads the code from the redirect itself).</summary>
public static class CliClient
{
    public const string Id = "kim-cli";
    public const string RedirectUri = "http://127.0.0.1:7890/callback";
}
