using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Storage;
using GGnet.Infrastructure.Telemetry;
using GGnet.Infrastructure.Webhooks;

namespace GGnet.Web.Composition;

/// <summary>
/// Reads every setting GGnet knows before anything starts and names each value that can't be what its setting needs
/// (a word where a number goes, an unknown choice): one line per problem, instead of a crash at the first.
/// Ranges and cross-checks follow when the options are validated.
/// </summary>
public static class SettingsCheck
{
    /// <summary>Every settings section and the options it binds to; docs/configuration.md lists the same.</summary>
    public static readonly IReadOnlyList<(string Section, Type Options)> Sections =
    [
        (DatabaseOptions.Section, typeof(DatabaseOptions)),
        (AuthOptions.Section, typeof(AuthOptions)),
        (AuditOptions.Section, typeof(AuditOptions)),
        ("Network", typeof(GGnet.Core.Boot.NetworkSettingsInput)),
        (BootOptions.Section, typeof(BootOptions)),
        (DhcpOptions.Section, typeof(DhcpOptions)),
        (IscsiOptions.Section, typeof(IscsiOptions)),
        (GGnet.Infrastructure.RootHelper.HelperOptions.Section, typeof(GGnet.Infrastructure.RootHelper.HelperOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (BackupOptions.Section, typeof(BackupOptions)),
        (LabOptions.Section, typeof(LabOptions)),
        (GGnet.Infrastructure.TestBoots.TestBootOptions.Section, typeof(GGnet.Infrastructure.TestBoots.TestBootOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (WebhookOptions.Section, typeof(WebhookOptions)),
        (GGnet.Infrastructure.Nodes.NodeOptions.Section, typeof(GGnet.Infrastructure.Nodes.NodeOptions)),
        (GGnet.Infrastructure.Nodes.RedisOptions.Section, typeof(GGnet.Infrastructure.Nodes.RedisOptions)),
        (LogOptions.Section, typeof(LogOptions)),
        (HealthOptions.Section, typeof(HealthOptions)),
        (GGnet.Web.Https.HttpsOptions.Section, typeof(GGnet.Web.Https.HttpsOptions)),
    ];

    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, options) in Sections)
        {
            foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                var key = $"{section}:{property.Name}";
                var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (configuration[key] is { Length: > 0 } value && target != typeof(string) && !Converts(target, value))
                {
                    problems.Add($"{key} is '{value}', but it must be {Expected(target)}.");
                }
            }
        }
        return problems;
    }

    private static bool Converts(Type target, string value)
    {
        if (target.IsEnum)
        {
            return Enum.TryParse(target, value, ignoreCase: true, out _) && !value.Trim().All(c => char.IsAsciiDigit(c) || c == '-');
        }
        var converter = TypeDescriptor.GetConverter(target);
        if (!converter.CanConvertFrom(typeof(string)))
        {
            return true;
        }
        try
        {
            converter.ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception wrong) when (wrong is FormatException or ArgumentException or NotSupportedException or OverflowException || wrong.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type target) => target switch
    {
        { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(target)),
        _ when target == typeof(bool) => "true or false",
        _ when target == typeof(int) || target == typeof(long) => "a whole number",
        _ when target == typeof(double) => "a number (with a dot for decimals)",
        _ => "a " + target.Name.ToLower(CultureInfo.InvariantCulture),
    };
}
