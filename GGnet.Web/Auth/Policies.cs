namespace GGnet.Web.Auth;

public static class Policies
{
    /// <summary>May change things: Admin or Operator. Viewers only look.</summary>
    public const string CanOperate = "CanOperate";

    /// <summary>Users and settings.</summary>
    public const string AdminOnly = "AdminOnly";

    /// <summary>/metrics: see <see cref="MetricsReaderRequirement"/>.</summary>
    public const string ReadMetrics = "ReadMetrics";
}
