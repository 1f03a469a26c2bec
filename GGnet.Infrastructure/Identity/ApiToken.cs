namespace GGnet.Infrastructure.Identity;

/// <summary>A bearer token for API clients. Only its SHA-256 hash is stored.</summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token text.</summary>
    public required string TokenHash { get; set; }

    /// <summary>What the token is for, as its owner named it ("billing system"); null for a plain login.</summary>
    public string? Label { get; set; }

    /// <summary>The token's first characters, so an admin can tell tokens apart; too short to be used.</summary>
    public string Hint { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
