using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Kim.WebApp.SignIn;

/// <summary>
/// Keeps each signed-in session (claims, access and refresh token) on the server; the browser's cookie holds only the
/// session's random key. Sessions live in memory: a restart of the web front end signs people in again (silently, while
/// their session at the provider lasts). Several instances need a shared store instead.
/// </summary>
public sealed class ServerSessionStore(IMemoryCache cache) : ITicketStore
{
    private const string Prefix = "kim-session:";

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Put(key, ticket);
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Put(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.Get<AuthenticationTicket>(Prefix + key));

    public Task RemoveAsync(string key)
    {
        cache.Remove(Prefix + key);
        return Task.CompletedTask;
    }

    private void Put(string key, AuthenticationTicket ticket)
    {
        var entry = new MemoryCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires)
        {
            entry.SetAbsoluteExpiration(expires);
        }

        cache.Set(Prefix + key, ticket, entry);
    }

    /// <summary>Gives the cookie handler its store (the handler's options are built before the container is).</summary>
    public sealed class Setup(ServerSessionStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = store;
    }
}
