using System.Net;
using System.Text.RegularExpressions;

namespace GGnet.Tests.Support;

/// <summary>The login page's form, posted as a browser posts it: its antiforgery token read from the page first.</summary>
public static partial class LoginForm
{
    /// <summary>Gets /login and posts the form with these credentials; the client must keep cookies (the token's).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string username, string password)
    {
        var form = await browser.GetStringAsync(new Uri("/login", UriKind.Relative));
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value),
            ["Input.Username"] = username,
            ["Input.Password"] = password,
        });
        return await browser.PostAsync(new Uri("/login", UriKind.Relative), fields);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
