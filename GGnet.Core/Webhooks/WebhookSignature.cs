using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GGnet.Core.Webhooks;

/// <summary>
/// How a receiver knows a request came from GGnet and is fresh: X-GGnet-Signature is
/// <c>sha256=</c> + lowercase hex of HMAC-SHA256, keyed with the endpoint's secret (its UTF-8 bytes), over
/// <c>{X-GGnet-Timestamp}.{raw body}</c>. The timestamp (Unix seconds) is signed with the body, so an old request
/// replayed later fails a receiver's age check even though its signature is genuine.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-GGnet-Signature";
    public const string TimestampHeader = "X-GGnet-Timestamp";
    public const string EventHeader = "X-GGnet-Event";
    public const string DeliveryHeader = "X-GGnet-Delivery";

    /// <summary>64 hexadecimal characters: 256 random bits.</summary>
    public const int SecretLength = 64;

    public static string NewSecret() => RandomNumberGenerator.GetHexString(SecretLength, lowercase: true);

    public static string Compute(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));

    /// <summary>What a receiver does (and the tests): recompute and compare in constant time.</summary>
    public static bool Verify(string secret, long timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
