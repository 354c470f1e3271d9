using Kim.Identity;
using Kim.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiDefaults();
builder.AddIdentityProvider();

var app = builder.Build();

app.UseIdentityProvider();
await app.PrepareIdentityProviderAsync();
await app.RunAsync();

public partial class Program;
