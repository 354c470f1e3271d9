using Kim.Gateway;
using Kim.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
// The security headers are set ahead of everything else (GatewayHardening), so every answer carries them.
app.UseKnownMethodsOnly();
var limits = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
app.UseBodySizeLimit(limits.MaxRequestBodyBytes, limits.MaxDocumentRequestBytes);
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseCors(GatewayHardening.CorsPolicy);
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapGateway();

await app.RunAsync();

public partial class Program;
