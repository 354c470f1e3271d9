using Kim.CaseService;
using Kim.CaseService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.MapCaseServiceApi();

await app.MigrateDbContextAsync<CaseDbContext>();
await app.RunAsync();

public partial class Program;
