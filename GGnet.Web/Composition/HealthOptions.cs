using System.ComponentModel.DataAnnotations;

namespace GGnet.Web.Composition;

/// <summary>The readiness check's settings. Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>How long one answer of the readiness check serves every caller: anyone may ask, and each real check runs programs.</summary>
    [Range(0, 3600)]
    public int ReadyCacheSeconds { get; set; } = 5;
}
