using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kim.Identity.FunctionalTests;

/// <summary>Many HTTP clients name ISO-8859-1 or US-ASCII for forms; a token request so labelled is served, other charsets get 415.</summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenRequestCharsetTests(IdentityFixture identity)
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=ISO-8859-1")]
    [InlineData("application/x-www-form-urlencoded; charset=us-ascii")]
    public async Task A_client_credentials_request_as_a_latin1_or_ascii_form_gets_a_token(string contentType)
    {
        var body = $"grant_type=client_credentials&client_id={IdentityFixture.MachineClient}&client_secret={Uri.EscapeDataString(IdentityFixture.MachineSecret)}&scope=kim";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(identity.Issuer, "connect/token"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task A_token_request_in_utf16_gets_415()
    {
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes($"grant_type=client_credentials&client_id={IdentityFixture.MachineClient}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-16");
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(identity.Issuer, "connect/token"), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
