using Microsoft.AspNetCore.Identity;

namespace Kim.Identity.Users;

/// <summary>Identity's messages in German, as people read them on the sign-in and password pages and in the administration API.</summary>
public sealed class GermanIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"Das Passwort muss mindestens {length} Zeichen lang sein." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => new() { Code = nameof(PasswordRequiresUniqueChars), Description = $"Das Passwort muss mindestens {uniqueChars} verschiedene Zeichen enthalten." };

    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = "Das Passwort ist falsch." };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"Den Benutzernamen „{userName}“ gibt es schon." };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = "Ein Benutzername besteht aus Kleinbuchstaben, Ziffern und . _ - @." };

    public override IdentityError InvalidToken() => new() { Code = nameof(InvalidToken), Description = "Der Code ist ungültig oder abgelaufen." };

    public override IdentityError UserLockoutNotEnabled() => new() { Code = nameof(UserLockoutNotEnabled), Description = "Für dieses Konto ist keine Sperre möglich." };

    public override IdentityError DefaultError() => new() { Code = nameof(DefaultError), Description = "Die Änderung war nicht möglich." };
}

/// <summary>Refuses passwords that are known to be common or that contain the user name (NIST SP 800-63B 3.1.1.2).</summary>
public sealed class CommonPasswordValidator : IPasswordValidator<KimUser>
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "passwort1234", "password1234", "123456789012", "qwertzuiopas", "qwertyuiopas", "hallohallo12", "sommer2026!!",
        "winter2026!!", "kennwort1234", "passwortpasswort", "passwordpassword", "000000000000", "111111111111", "abcdefghijkl",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<KimUser> manager, KimUser user, string? password)
    {
        if (password is null)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordMissing", Description = "Bitte ein Passwort eingeben." }));
        }

        if (Common.Contains(password) || (user.UserName is { Length: > 2 } name && password.Contains(name, StringComparison.OrdinalIgnoreCase)))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordCommon", Description = "Dieses Passwort ist zu leicht zu erraten. Bitte ein anderes wählen." }));
        }

        return Task.FromResult(IdentityResult.Success);
    }
}
