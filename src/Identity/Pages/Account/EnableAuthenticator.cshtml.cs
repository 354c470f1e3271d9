using System.Text;
using Kim.Identity.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using QRCoder;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity.Pages.Account;

/// <summary>
/// Setting up the TOTP second factor: after a right password for a role that requires it (first sign-in), or later by a
/// signed-in person. The key is shown as text and as a QR code; the first code proves the app has it; then ten
/// recovery codes are shown once.
/// </summary>
public sealed class EnableAuthenticatorModel(UserManager<KimUser> users, SignInManager<KimUser> signIn, AccountEvents events) : AccountPage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Code { get; set; } = "";

    public string SharedKey { get; private set; } = "";

    public string QrCodeSvg { get; private set; } = "";

    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public string ContinueUrl => SafeReturnUrl(ReturnUrl);

    /// <summary>A signed-in person who has the second factor already: the key is not shown again.</summary>
    public bool AlreadyEnabled { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var (user, stop) = await EnrollableAsync();
        if (stop is not null)
        {
            return stop;
        }

        await ShowKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (user, stop) = await EnrollableAsync();
        if (stop is not null)
        {
            return stop;
        }

        var code = new string(Code.Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            events.Record(AccountEvents.SecondFactorFailed, user.Id, "enrollment");
            Errors.Add("Der Code passt nicht. Bitte prüfen, ob die Uhrzeit des Telefons stimmt, und den aktuellen Code eingeben.");
            await ShowKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        events.Record(AccountEvents.SecondFactorEnabled, user.Id);
        await HttpContext.SignOutAsync(Enrollment.Scheme);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa");
        events.Record(AccountEvents.SignedIn, user.Id, "second-factor");
        return Page();
    }

    /// <summary>The person to set up, or where to go instead: nobody (the sign-in), or the second factor exists already (said, the key not shown again).</summary>
    private async Task<(KimUser User, IActionResult? Stop)> EnrollableAsync()
    {
        var user = await EnrollingUserAsync();
        if (user is null)
        {
            return (null!, RedirectToPage("Login", new { ReturnUrl }));
        }

        AlreadyEnabled = user.TwoFactorEnabled;
        return (user, AlreadyEnabled ? Page() : null);
    }

    /// <summary>The person in enrollment (password checked), else the signed-in person.</summary>
    private async Task<KimUser?> EnrollingUserAsync()
    {
        var enrolling = await HttpContext.AuthenticateAsync(Enrollment.Scheme);
        if (enrolling.Succeeded && enrolling.Principal.FindFirst(Claims.Subject)?.Value is { } id)
        {
            return await users.FindByIdAsync(id);
        }

        return User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(User) : null;
    }

    private async Task ShowKeyAsync(KimUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key.");
        }

        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        SharedKey = grouped.ToString().TrimEnd().ToLowerInvariant();
        var uri = $"otpauth://totp/KIM:{Uri.EscapeDataString(user.UserName!)}?secret={key}&issuer=KIM&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrCodeSvg = new SvgQRCode(data).GetGraphic(4);
    }
}
