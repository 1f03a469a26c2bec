using Serilog;
using Serilog.Formatting.Compact;

namespace GGnet.Web.Composition;

/// <summary>Where GGnet's log goes. Section <c>Logs</c>; the levels stay under <c>Logging:LogLevel</c>.</summary>
public sealed class LogOptions
{
    public const string Section = "Logs";

    /// <summary>Console lines as JSON (one object per line, with scopes such as SessionId) instead of text.</summary>
    public bool Json { get; set; }

    /// <summary>Also write JSON log files here (ggnet-YYYYMMDD.log, a new one each day and every 100 MB); empty: no files.</summary>
    public string? Directory { get; set; }

    /// <summary>Log files kept.</summary>
    public int KeepFiles { get; set; } = 14;
}

/// <summary>
/// The console (text, or JSON with <c>Logs:Json</c>; systemd's journal takes it from there) and, with
/// <c>Logs:Directory</c>, rotating JSON files through Serilog. Both carry the scopes: the lines of a session's work
/// share its SessionId, an image conversion's its ImageVersionId.
/// </summary>
public static class LoggingSetup
{
    public static WebApplicationBuilder AddGGnetLogging(this WebApplicationBuilder builder)
    {
        var logs = builder.Configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        builder.Logging.ClearProviders();
        if (logs.Json)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 })
        {
            // Under systemd: the journal keeps the time; each line gets its priority.
            builder.Logging.AddSystemdConsole(journal => journal.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(text =>
            {
                text.IncludeScopes = true;
                text.SingleLine = true;
                text.TimestampFormat = "HH:mm:ss ";
            });
        }
        if (!string.IsNullOrWhiteSpace(logs.Directory))
        {
            System.IO.Directory.CreateDirectory(logs.Directory);
            var files = new LoggerConfiguration()
                .MinimumLevel.Verbose()
                .Enrich.FromLogContext()
                .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logs.Directory, "ggnet-.log"),
                    rollingInterval: RollingInterval.Day, retainedFileCountLimit: Math.Max(1, logs.KeepFiles),
                    fileSizeLimitBytes: 100L << 20, rollOnFileSizeLimit: true)
                .CreateLogger();
            // As a provider like the console's, so that Logging:LogLevel decides for the files too (Serilog's AddSerilog lets
            // every line of every category through to them, ASP.NET Core's line for each request among them).
            builder.Services.AddSingleton<ILoggerProvider>(_ => new Serilog.Extensions.Logging.SerilogLoggerProvider(files, dispose: true));
        }
        return builder;
    }
}
