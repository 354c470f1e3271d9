using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kim.Identity.Pages.Account;

/// <summary>What every sign-in page shares: the page to return to and the messages shown at the top.</summary>
public abstract class AccountPage : PageModel
{
    public List<string> Errors { get; } = [];

    /// <summary>Only a path of this site (the provider's authorization request, say); anything else becomes its start page.</summary>
    protected string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : Url.Content("~/Account/Manage");
}
