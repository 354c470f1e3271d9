using Kim.WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddWebApp();

var app = builder.Build();

app.UseWebApp();
await app.RunAsync();

public partial class Program;
