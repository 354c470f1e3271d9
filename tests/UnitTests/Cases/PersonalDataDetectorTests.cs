using Kim.CaseService.Cases;
using Kim.CaseService.Reconstructions;

namespace Kim.UnitTests.Cases;

/// <summary>The anonymisation check of case reconstructions: every known bypass, and ordinary words that must pass.</summary>
public sealed class PersonalDataDetectorTests
{
    private static readonly PersonalDataDetector Detector = new([
        new ClientIdentity("Zoë", "Müller-Öztürk", new DateOnly(1991, 4, 12), null, null, null),
        new ClientIdentity("Amira", "Haddad", new DateOnly(1985, 11, 3), null, null, null),
        new ClientIdentity("Li", "Berg", new DateOnly(1979, 1, 30), null, null, null),
    ]);

    [Theory]
    [InlineData("Zoë Müller-Öztürk wartete acht Monate")]
    [InlineData("Müller-Öztürk wartete acht Monate")]
    [InlineData("Frau Öztürk wartete acht Monate")]
    [InlineData("Frau Müller wartete")]
    [InlineData("Mueller-Oeztuerk wartete")]
    [InlineData("Frau Oeztuerk wartete")]
    [InlineData("Frau Ozturk wartete")]
    [InlineData("MUELLER OEZTUERK")]
    [InlineData("MüllerÖztürk")]
    [InlineData("FrauHaddad kam nicht")]
    [InlineData("Had dad kam nicht")]
    [InlineData("Frau H-a-d-d-a-d")]
    [InlineData("Amira kam nicht")]
    [InlineData("geboren am 12. April 1991")]
    [InlineData("geboren am 12.April 1991")]
    [InlineData("geb. 12. Apr. 1991")]
    [InlineData("12-04-1991")]
    [InlineData("12.04.1991")]
    [InlineData("12.4.1991")]
    [InlineData("12.04.91")]
    [InlineData("1991-04-12")]
    [InlineData("12/04/1991")]
    [InlineData("3. November 1985")]
    [InlineData("Herr Li Berg")]
    [InlineData("Frau Berg")]
    public void Names_and_birth_dates_of_known_clients_are_found(string text) => Assert.True(Detector.Contains(text), text);

    [Theory]
    [InlineData("Übergang Schule-Beruf dauerte acht Monate")]
    [InlineData("Anerkennung erst nach Widerspruch, Sprachkurs im Bergischen Land")]
    [InlineData("Die Liste der Leistungen ist lang")]
    [InlineData("Termin am 12.04.2024 abgesagt")]
    [InlineData("Geboren 1991, Antrag am 04.12.1991")]
    [InlineData("Müllabfuhr und Wohnungssuche")]
    [InlineData("Die Familie hatte drei Kinder")]
    public void Ordinary_words_and_other_dates_pass(string text) => Assert.False(Detector.Contains(text), text);

    [Fact]
    public void A_short_name_part_counts_only_with_the_whole_name()
    {
        Assert.False(Detector.Contains("Li"));
        Assert.True(Detector.Contains("Li Berg"));
        Assert.True(Detector.Contains("Liberg"));
    }
}
