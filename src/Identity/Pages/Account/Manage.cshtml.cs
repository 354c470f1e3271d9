using Kim.Identity.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kim.Identity.Pages.Account;

/// <summary>The signed-in person's account: change the password, set up the second factor.</summary>
public sealed class ManageModel(UserManager<KimUser> users, SignInManager<KimUser> signIn, AccountEvents events) : AccountPage
{
    [BindProperty]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    public string NewPassword { get; set; } = "";

    public KimUser? Account { get; private set; }

    public bool Changed { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Account = await users.GetUserAsync(User);
        return Account is null ? RedirectToPage("Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Account = await users.GetUserAsync(User);
        if (Account is null)
        {
            return RedirectToPage("Login");
        }

        var result = await users.ChangePasswordAsync(Account, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            Errors.AddRange(result.Errors.Select(e => e.Description));
            return Page();
        }

        events.Record(AccountEvents.PasswordChanged, Account.Id);
        await signIn.RefreshSignInAsync(Account);
        Changed = true;
        return Page();
    }
}
