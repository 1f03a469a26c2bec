using GGnet.Core.Telemetry;
using Hangfire.States;
using Hangfire.Storage;

namespace GGnet.Infrastructure.Telemetry;

/// <summary>Counts background jobs that end Failed (after their retries), by job.</summary>
public sealed class JobFailureMetrics(GGnetMetrics metrics) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is FailedState)
        {
            metrics.JobFailed($"{context.BackgroundJob.Job?.Type.Name}.{context.BackgroundJob.Job?.Method.Name}");
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
