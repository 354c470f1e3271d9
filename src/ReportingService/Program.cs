using Kim.ReportingService;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApiDefaults();
app.MapReportingApi();

await app.MigrateDbContextAsync<ReportingDbContext>();
await app.RunAsync();

public partial class Program;
