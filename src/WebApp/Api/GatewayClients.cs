using Kim.WebApp.Clients.CaseService;
using Kim.WebApp.Clients.Network;
using Kim.WebApp.Clients.Reporting;
using Kim.WebApp.Clients.State;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Kim.WebApp.Api;

/// <summary>
/// The generated API clients, calling the gateway with the signed-in person's access token. The token is read from the
/// server-side session of the current request; it never reaches the browser.
/// </summary>
public static class GatewayClients
{
    public const string HttpClientName = "gateway";

    public static void AddGatewayClients(this IServiceCollection services, WebAppOptions options)
    {
        services.AddHttpContextAccessor();
        services.AddTransient<AccessTokenHandler>();
        services.AddHttpClient(HttpClientName, http => http.BaseAddress = options.Gateway)
            .AddHttpMessageHandler<AccessTokenHandler>();
        // A write is never repeated by the resilience pipeline every client gets: a retried POST could open a case twice.
        services.ConfigureAll<HttpStandardResilienceOptions>(resilience => resilience.Retry.DisableForUnsafeHttpMethods());
        services.AddScoped(provider => new CaseServiceClient(Adapter(provider)));
        services.AddScoped(provider => new NetworkClient(Adapter(provider)));
        services.AddScoped(provider => new ReportingClient(Adapter(provider)));
        services.AddScoped(provider => new StateClient(Adapter(provider)));
        services.AddScoped<CaseWorkGateway>();
    }

    private static HttpClientRequestAdapter Adapter(IServiceProvider provider)
    {
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        return new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
    }

    private sealed class AccessTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (accessor.HttpContext is { } context && await context.GetTokenAsync("access_token") is { } token)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
