using Kim.NetworkService;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.MapNetworkApi();

await app.MigrateDbContextAsync<NetworkDbContext>();
await app.RunAsync();

public partial class Program;
