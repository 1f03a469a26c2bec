using System.Globalization;
using System.Security.Cryptography;
using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>The server-wide CHAP policy (setting Iscsi:Chap, or the switch that turns it on); a machine may override it.</summary>
public sealed class ChapDefaults(ChapPolicy policy)
{
    public ChapPolicy Policy { get; private set; } = policy;

    internal void Use(ChapPolicy value) => Policy = value;
}

/// <summary>
/// Whether a PC's target needs CHAP, and with which credentials. Every session gets new secrets when its target is
/// made (a secret seen on the network or a screen is worthless once that session ends), kept encrypted with the
/// machine, and handed to the target and to the PC's own script request. The PC logs in as its machine name; with
/// mutual CHAP, which maintenance sessions always use, the target answers as "&lt;name&gt;-target".
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

    /// <summary>
    /// New secrets for each of these machines that uses CHAP, saved in one transaction, before their new targets are made
    /// (<see cref="ForNewTarget"/>).
    /// </summary>
    public async Task RenewSecretsAsync(IReadOnlyList<Machine> machinesStarting, CancellationToken cancellationToken)
    {
        var renewed = machinesStarting.Where(machine => EffectiveFor(machine) != ChapPolicy.Off).ToList();
        foreach (var machine in renewed)
        {
            machine.StoreChapSecrets(protector.Protect(NewSecret()), protector.Protect(NewSecret()));
        }
        if (renewed.Count > 0)
        {
            await machines.SaveChapSecretsAsync(renewed, cancellationToken);
        }
    }

    /// <summary>
    /// What a new target of this machine requires, with the secrets just renewed (<see cref="RenewSecretsAsync"/>), or
    /// null without CHAP. A maintenance session's disk becomes the image every PC boots: its target proves itself too
    /// (mutual CHAP).
    /// </summary>
    public ChapCredentials? ForNewTarget(Machine machine, SessionType type)
    {
        var policy = EffectiveFor(machine);
        return policy == ChapPolicy.Off ? null : Credentials(machine, UserFor(machine), policy == ChapPolicy.Mutual || type == SessionType.Maintenance);
    }

    /// <summary>The credentials a running target was made with, for its re-creation and the PC's script; null without CHAP.</summary>
    public ChapCredentials? ForTarget(Machine machine, string? chapUser, bool mutual) =>
        chapUser is null || machine.ProtectedChapSecret is null ? null : Credentials(machine, chapUser, mutual);

    /// <summary>The running session's secrets in clear, for an admin checking another initiator; refused without one.</summary>
    public async Task<ChapCredentials> RevealAsync(Machine machine, string actor, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(machine.Id, cancellationToken) is not { Target: { ChapUser: { } user } target })
        {
            throw new ConflictException($"{machine.Name} has no running session with CHAP. Each session gets new secrets when it starts: start one, then look again.");
        }
        await audit.WriteAsync(Audit(machine, actor, "shown", AuditActions.ChapSecretsShown), cancellationToken);
        return Credentials(machine, user, target.ChapMutual);
    }

    public static string UserFor(Machine machine) => machine.Name.Value;

    public static string MutualUserFor(string user) => user + "-target";

    private ChapCredentials Credentials(Machine machine, string user, bool mutual) => new(
        user,
        protector.Unprotect(machine.ProtectedChapSecret!),
        mutual ? MutualUserFor(user) : null,
        mutual ? protector.Unprotect(machine.ProtectedMutualChapSecret!) : null);

    // The audit says that secrets were shown, never what they are.
    private AuditEvent Audit(Machine machine, string actor, string what, string action) => new(
        clock.GetUtcNow().UtcDateTime, actor, action, "machine", machine.Id.ToString(CultureInfo.InvariantCulture), null, $"secrets {what} for {machine.Name}");

    internal static string NewSecret() => RandomNumberGenerator.GetString(Alphabet, SecretLength);
}
