using Kim.Gateway;
using Kim.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseBodySizeLimit(builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()?.MaxRequestBodyBytes ?? new GatewayOptions().MaxRequestBodyBytes);
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
