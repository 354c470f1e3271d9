using Kim.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kim.Identity.Pages.Account;

public sealed class LoginWith2faModel(SignInManager<KimUser> signIn, AccountEvents events) : SecondFactorPage(signIn)
{
    public async Task<IActionResult> OnPostAsync()
    {
        var user = await SignInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        var code = new string(Code.Where(char.IsAsciiDigit).ToArray());
        var result = await SignInManager.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            events.Record(AccountEvents.SignedIn, user.Id, "second-factor");
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.IsLockedOut)
        {
            events.Record(AccountEvents.LockedOut, user.Id);
            Errors.Add("Das Konto ist nach zu vielen Fehlversuchen vorübergehend gesperrt. Bitte in 15 Minuten erneut versuchen.");
            return Page();
        }

        events.Record(AccountEvents.SecondFactorFailed, user.Id);
        Errors.Add("Der Code ist falsch oder abgelaufen. Bitte den aktuellen Code aus der Authenticator-App eingeben.");
        return Page();
    }
}
