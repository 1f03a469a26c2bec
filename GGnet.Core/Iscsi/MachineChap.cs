using System.Globalization;
using System.Security.Cryptography;
using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>The server-wide CHAP policy (setting Iscsi:Chap); a machine may override it.</summary>
public sealed record ChapDefaults(ChapPolicy Policy);

/// <summary>
/// Whether a PC's target needs CHAP, and with which credentials: GGnet generates each machine's secrets the first
/// time they are needed, keeps them encrypted, and hands them to the target at session start and to the PC's own
/// script request. The PC logs in as its machine name; with mutual CHAP the target answers as "&lt;name&gt;-target".
/// </summary>
public sealed class MachineChap(IMachineRepository machines, ISessionRepository sessions, ISecretProtector protector, ChapDefaults defaults, IAuditLog audit,
    TimeProvider clock)
{
    /// <summary>16 characters: what Windows' iSCSI initiator accepts at most, about 93 bits from this alphabet.</summary>
    public const int SecretLength = 16;

    // No look-alikes (0/O, 1/l/I): an admin may have to type a secret into another initiator.
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public ChapPolicy EffectiveFor(Machine machine) => machine.Chap ?? defaults.Policy;

    public ChapPolicy ServerWide => defaults.Policy;

    /// <summary>What a new target of this machine requires, or null without CHAP; generates the machine's secrets the first time.</summary>
    public async Task<ChapCredentials?> ForNewTargetAsync(Machine machine, CancellationToken cancellationToken)
    {
        var policy = EffectiveFor(machine);
        if (policy == ChapPolicy.Off)
        {
            return null;
        }
        await EnsureSecretsAsync(machine, "system", cancellationToken);
        return Credentials(machine, UserFor(machine), policy == ChapPolicy.Mutual);
    }

    /// <summary>The credentials a running target was made with, for its re-creation and the PC's script; null without CHAP.</summary>
    public ChapCredentials? ForTarget(Machine machine, string? chapUser, bool mutual) =>
        chapUser is null || machine.ProtectedChapSecret is null ? null : Credentials(machine, chapUser, mutual);

    /// <summary>The machine's secrets in clear, for an admin setting up another initiator; generates them when missing.</summary>
    public async Task<ChapCredentials> RevealAsync(Machine machine, string actor, CancellationToken cancellationToken)
    {
        await EnsureSecretsAsync(machine, actor, cancellationToken);
        var active = await sessions.FindActiveAsync(machine.Id, cancellationToken);
        await audit.WriteAsync(Audit(machine, actor, "shown", AuditActions.ChapSecretsShown), cancellationToken);
        return Credentials(machine, active?.Target?.ChapUser ?? UserFor(machine), mutual: true);
    }

    /// <summary>New secrets for the machine, for its next session's target; refused while a session runs with the old ones.</summary>
    public async Task RegenerateAsync(Machine machine, string actor, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is { Target.ChapUser: not null })
        {
            throw new ConflictException($"{machine.Name}'s running session uses its current CHAP secrets. Stop the session first, then make new secrets.");
        }
        machine.StoreChapSecrets(protector.Protect(NewSecret()), protector.Protect(NewSecret()));
        await machines.UpdateAsync(machine, Audit(machine, actor, "regenerated"), cancellationToken);
    }

    public static string UserFor(Machine machine) => machine.Name.Value;

    public static string MutualUserFor(string user) => user + "-target";

    private async Task EnsureSecretsAsync(Machine machine, string actor, CancellationToken cancellationToken)
    {
        if (machine.ProtectedChapSecret is null || machine.ProtectedMutualChapSecret is null)
        {
            machine.StoreChapSecrets(protector.Protect(NewSecret()), protector.Protect(NewSecret()));
            await machines.UpdateAsync(machine, Audit(machine, actor, "generated"), cancellationToken);
        }
    }

    private ChapCredentials Credentials(Machine machine, string user, bool mutual) => new(
        user,
        protector.Unprotect(machine.ProtectedChapSecret!),
        mutual ? MutualUserFor(user) : null,
        mutual ? protector.Unprotect(machine.ProtectedMutualChapSecret!) : null);

    // The audit says that secrets changed, never what they are.
    private AuditEvent Audit(Machine machine, string actor, string what, string action = AuditActions.ChapSecrets) => new(
        clock.GetUtcNow().UtcDateTime, actor, action, "machine", machine.Id.ToString(CultureInfo.InvariantCulture), null, $"secrets {what} for {machine.Name}");

    private static string NewSecret() => RandomNumberGenerator.GetString(Alphabet, SecretLength);
}
