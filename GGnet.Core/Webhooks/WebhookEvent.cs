using System.Text.Json;
using System.Text.Json.Serialization;

namespace GGnet.Core.Webhooks;

/// <summary>
/// What a receiver gets as the request body: <c>{"id", "type", "occurredAt", "data": {…}}</c>, camelCase. The id is the
/// event's (one event sent to several endpoints has one id); X-GGnet-Delivery names the delivery.
/// </summary>
public sealed record WebhookEvent(Guid Id, string Type, DateTime OccurredAt, object Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// The data of a session.* event. <paramref name="Image"/> reads like "win11-cafe v3"; <paramref name="StopReason"/> says why
/// GGnet stopped the session by itself (null when someone stopped it).
/// </summary>
public sealed record SessionEventData(
    int SessionId, string SessionType, string State, int MachineId, string? MachineName, string? MacAddress, string? Image, string? FailureReason,
    string? StopReason);

/// <summary>The data of a machine.* event: the machine as it is now (as it was, for machine.deleted).</summary>
public sealed record MachineEventData(int MachineId, string Name, string MacAddress, string? IpAddress, int? GroupId, bool Enabled);

/// <summary>
/// The data of image.candidate-tested: the candidate ("win11 v4"), whether its OS took over its disk in the test boot, the sentence
/// that says what happened, its boot time and the current version's, in seconds (null when not measured).
/// </summary>
public sealed record CandidateEventData(int ImageId, int VersionId, string Candidate, bool Passed, string Sentence, double? BootSeconds, double? CurrentBootSeconds);

/// <summary>The data of image.canary-rolled-back: the canary, its group, the PC and session that did not boot it, and the sentence saying so.</summary>
public sealed record CanaryEventData(int ImageId, int VersionId, string Canary, int? GroupId, string? GroupName, int MachineId, int SessionId, string Sentence);
