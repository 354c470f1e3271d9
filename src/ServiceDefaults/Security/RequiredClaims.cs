using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ServiceDefaults.Security;

/// <summary>
/// What a validated token must look like besides its signature, issuer, audience and lifetime (ASVS 9.x): a non-empty
/// string <c>sub</c> and tenant, no claim named twice, and the claims that have one value (subject, tenant,
/// municipality, issuer, times, name, client) never as an array. Read from the raw payload: a claim set built from it would silently keep
/// the first or the last of repeated names. <c>role</c> and <c>aud</c> may be arrays.
/// </summary>
public static class RequiredClaims
{
    private static readonly HashSet<string> SingleValued = new(StringComparer.Ordinal)
    {
        KimClaims.Subject, KimClaims.Tenant, KimClaims.Municipality, "iss", "exp", "nbf", "iat", "name", "client_id", "azp", "jti",
    };

    /// <summary>Why the token is refused (naming a claim, never a value), or null when it carries what it must.</summary>
    public static string? Check(SecurityToken? token, string tenantClaim = KimClaims.Tenant)
    {
        var payload = token switch
        {
            JsonWebToken { InnerToken: { } inner } => inner.EncodedPayload,
            JsonWebToken jwt => jwt.EncodedPayload,
            System.IdentityModel.Tokens.Jwt.JwtSecurityToken legacy => legacy.RawPayload,
            _ => null,
        };
        if (string.IsNullOrEmpty(payload))
        {
            return "no readable payload";
        }

        try
        {
            return Check(Base64UrlEncoder.DecodeBytes(payload), tenantClaim);
        }
        catch (FormatException)
        {
            return "payload not base64url";
        }
    }

    /// <summary>Checks the top-level members of a token's JSON payload.</summary>
    public static string? Check(ReadOnlySpan<byte> payloadJson, string tenantClaim = KimClaims.Tenant)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool subject = false, tenant = false;
        try
        {
            var reader = new Utf8JsonReader(payloadJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "payload not a JSON object";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    return $"claim '{name}' repeated";
                }

                reader.Read();
                var single = SingleValued.Contains(name) || name == tenantClaim;
                if (single && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    return $"claim '{name}' must have one value";
                }

                if (name == KimClaims.Subject || name == tenantClaim)
                {
                    if (reader.TokenType != JsonTokenType.String || string.IsNullOrWhiteSpace(reader.GetString()))
                    {
                        return $"claim '{name}' must be a non-empty string";
                    }

                    subject |= name == KimClaims.Subject;
                    tenant |= name == tenantClaim;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return "payload not valid JSON";
        }

        return !subject ? $"claim '{KimClaims.Subject}' missing"
            : !tenant ? $"claim '{tenantClaim}' missing"
            : null;
    }
}
