using Kim.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kim.Identity.Pages.Account;

/// <summary>The pages after a right password where the second factor is asked for: the person waiting for it, the code typed.</summary>
public abstract class SecondFactorPage(SignInManager<KimUser> signIn) : AccountPage
{
    protected SignInManager<KimUser> SignInManager { get; } = signIn;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Code { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() =>
        await SignInManager.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("Login", new { ReturnUrl }) : Page();
}
