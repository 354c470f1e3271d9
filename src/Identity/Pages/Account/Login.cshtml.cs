using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Kim.Identity.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity.Pages.Account;

public sealed class LoginModel(UserManager<KimUser> users, SignInManager<KimUser> signIn, AccountEvents events) : AccountPage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Display(Name = "Benutzername")]
    public string UserName { get; set; } = "";

    [BindProperty]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(UserName) ? null : await users.FindByNameAsync(UserName.Trim().ToLowerInvariant());
        if (user is null || user.Disabled || string.IsNullOrEmpty(Password))
        {
            events.Record(AccountEvents.SignInFailed, user?.Id, user is { Disabled: true } ? "disabled" : null);
            return Refused();
        }

        if (RoleNames.NeedsSecondFactor(await users.GetRolesAsync(user)) && !user.TwoFactorEnabled)
        {
            // The password first; the session only after the second factor is set up.
            var check = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
            if (!check.Succeeded)
            {
                return check.IsLockedOut ? LockedOut(user) : Failed(user);
            }

            var enrolling = new ClaimsIdentity([new Claim(Claims.Subject, user.Id)], Enrollment.Scheme);
            await HttpContext.SignInAsync(Enrollment.Scheme, new ClaimsPrincipal(enrolling));
            return RedirectToPage("EnableAuthenticator", new { ReturnUrl });
        }

        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            events.Record(AccountEvents.SignedIn, user.Id);
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("LoginWith2fa", new { ReturnUrl });
        }

        return result.IsLockedOut ? LockedOut(user) : Failed(user);
    }

    private PageResult Failed(KimUser user)
    {
        events.Record(AccountEvents.SignInFailed, user.Id);
        return Refused();
    }

    private PageResult LockedOut(KimUser user)
    {
        events.Record(AccountEvents.LockedOut, user.Id);
        Errors.Add("Das Konto ist nach zu vielen Fehlversuchen vorübergehend gesperrt. Bitte in 15 Minuten erneut versuchen.");
        return Page();
    }

    private PageResult Refused()
    {
        Errors.Add("Benutzername oder Passwort ist falsch.");
        Password = "";
        return Page();
    }
}
