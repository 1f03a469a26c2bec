namespace GGnet.Core.Domain.Webhooks;

/// <summary>
/// Where a webhook endpoint receives events: an absolute http or https URL, without a user name or password in it
/// (the signature proves the sender; credentials in a URL end up in logs) and without a fragment (never sent).
/// </summary>
public sealed record WebhookUrl
{
    public const int MaxLength = 2000;

    private WebhookUrl(Uri uri) => Uri = uri;

    public Uri Uri { get; }

    public string Value => Uri.AbsoluteUri;

    /// <summary>
    /// The URL as audit entries and other screens a Viewer reads show it: scheme and host only, since the path or
    /// query often carries the receiver's secret token (<c>https://billing.example/…</c>), with a short fingerprint of
    /// the whole URL so that a change of path still shows as a change.
    /// </summary>
    public string Shown
    {
        get
        {
            var rest = Uri.PathAndQuery is "/" or "" ? "" : "/…";
            var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Value)))[..6];
            return $"{Uri.Scheme}://{Uri.Authority}{rest} (#{fingerprint})";
        }
    }

    public override string ToString() => Value;

    public static WebhookUrl Parse(string? text) =>
        TryParse(text, out var url, out var error) ? url : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "A URL is required, e.g. https://billing.example/ggnet-events.";
        }
        else if (trimmed.Length > MaxLength)
        {
            error = $"The URL is {trimmed.Length} characters long; at most {MaxLength} are allowed.";
        }
        else if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            error = $"'{Printable.Of(trimmed)}' is not an absolute http or https URL; write it like https://billing.example/ggnet-events.";
        }
        else if (uri.UserInfo.Length > 0)
        {
            error = "Take the user name and password out of the URL: GGnet signs every request, so the receiver can check it came from GGnet.";
        }
        else if (uri.Fragment.Length > 0)
        {
            error = "Take the part after '#' out of the URL: it is never sent to the receiver.";
        }
        else
        {
            url = new WebhookUrl(uri);
        }
        return url is not null;
    }
}
