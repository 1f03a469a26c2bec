using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Infrastructure.Jobs;

public static class JobsSetup
{
    /// <summary>
    /// Hangfire on SQLite (a file of its own beside ggnet.db) or on PostgreSQL (shared by every node; a job enqueued
    /// wakes the waiting workers at once through LISTEN/NOTIFY). This node's server takes its own queues and the
    /// shared one: the work on a node's storage runs only on that node.
    /// </summary>
    public static IServiceCollection AddGGnetJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddHangfire((provider, hangfire) =>
        {
            hangfire.UseFilter(new Telemetry.JobFailureMetrics(provider.GetRequiredService<GGnet.Core.Telemetry.GGnetMetrics>()));
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Postgres)
            {
                hangfire.UsePostgreSqlStorage(
                    postgres => postgres.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        // Notified at once when a job is enqueued; the poll only catches what a dropped notification missed.
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(2),
                        PrepareSchemaIfNecessary = true,
                        UseSlidingInvisibilityTimeout = true,
                    });
            }
            else
            {
                Directory.CreateDirectory(database.DataDirectory);
                var sqlite = new WakingJobStorage(new SQLiteStorage(Path.Combine(Path.GetFullPath(database.DataDirectory), "hangfire.db"),
                    new SQLiteStorageOptions
                    {
                        // The SQLite store has no wake-up on enqueue of its own: a job this process queues wakes the workers
                        // (WakingJobStorage), and the poll only catches what nothing here queued (a job whose worker died,
                        // visible again after the invisibility timeout). See docs/benchmarks.md.
                        QueuePollInterval = TimeSpan.FromSeconds(15),
                        // A job still running after this is handed to another worker: a conversion of a large image takes hours.
                        InvisibilityTimeout = TimeSpan.FromHours(12),
                    }));
                hangfire.UseStorage(sqlite);
            }
        });
        services.AddScoped<SessionJobRunner>();
        services.AddScoped<SessionBatchRunner>();
        services.AddScoped<ImageJobRunner>();
        services.AddScoped<ScheduleRunner>();
        services.AddScoped<BootWaveRunner>();
        services.AddScoped<BackupRunner>();
        services.AddScoped<AuditRetentionRunner>();
        services.AddScoped<BootRetentionRunner>();
        services.AddScoped<WebhookJobRunner>();
        services.AddSingleton<PromptDelayedJobs>();
        services.AddSingleton<IWebhookJobs, HangfireWebhookJobs>();
        services.AddSingleton<IScheduler, HangfireScheduler>();
        services.AddSingleton<IBootWaveJobs, HangfireBootWaveJobs>();
        services.AddSingleton<IJobHealth, HangfireJobHealth>();
        services.AddSingleton<ISessionJobs, HangfireSessionJobs>();
        services.AddSingleton<IImageJobs, HangfireImageJobs>();
        return services;
    }

    /// <summary>This node's job servers (hosted services: <see cref="DependencyInjection"/> places them among the others),
    /// then the recurring jobs' registration.</summary>
    public static IServiceCollection AddGGnetJobServers(this IServiceCollection services, IConfiguration configuration)
    {
        var node = NodeName(configuration);
        services.AddHangfireServer(server =>
        {
            // Queues listed first are served first: a reconcile (the one at start-up heals what a crash left) does not wait
            // behind a storm of session starts.
            server.ServerName = node;
            server.Queues = [NodeQueues.Reconcile(node), NodeQueues.Work(node), NodeQueues.Images(node), NodeQueues.Shared];
            server.WorkerCount = 4;
            // Each look for due jobs takes a lock in the job store with writes (with the recurring jobs' look, half of an idle
            // GGnet's named CPU): every 5 s, while the delayed jobs GGnet schedules are queued when due by PromptDelayedJobs.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            // How often a server looks for others gone silent, to take them off the Jobs page's list, is Hangfire's own
            // (5 min): a job a dead server had taken goes back to its queue by the job store's own timeout, and a node's
            // sessions are failed over by GGnet's node heartbeats (FailLostNodeSessions), not by that list.
        });
        // Webhooks get workers of their own: a receiver that takes its full timeout on every attempt must not
        // make session starts wait for a free worker.
        services.AddHangfireServer(server =>
        {
            server.ServerName = $"{node}:webhooks";
            server.Queues = [WebhookJobRunner.Queue];
            server.WorkerCount = 2;
            // The main server's scheduler enqueues due jobs of every queue (webhook retries too): this one's is a spare.
            server.SchedulePollingInterval = TimeSpan.FromMinutes(1);
        });
        services.AddHostedService<RecurringJobsRegistration>();
        return services;
    }

    private static string NodeName(IConfiguration configuration) =>
        (configuration.GetSection(Nodes.NodeOptions.Section).Get<Nodes.NodeOptions>() ?? new Nodes.NodeOptions()).EffectiveName.ToLowerInvariant();
}
