using Kim.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kim.Identity.Pages.Account;

public sealed class LoginWithRecoveryCodeModel(SignInManager<KimUser> signIn, AccountEvents events) : SecondFactorPage(signIn)
{
    public async Task<IActionResult> OnPostAsync()
    {
        var user = await SignInManager.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        var result = await SignInManager.TwoFactorRecoveryCodeSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded)
        {
            events.Record(AccountEvents.RecoveryCodeUsed, user.Id);
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        events.Record(result.IsLockedOut ? AccountEvents.LockedOut : AccountEvents.SecondFactorFailed, user.Id, "recovery-code");
        Errors.Add(result.IsLockedOut ? "Das Konto ist vorübergehend gesperrt." : "Dieser Wiederherstellungscode ist ungültig oder wurde schon benutzt.");
        return Page();
    }
}
