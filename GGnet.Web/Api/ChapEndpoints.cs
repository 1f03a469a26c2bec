using GGnet.Core.Domain.Machines;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

/// <summary>Per-machine CHAP, for admins only: the policy, and the running session's secrets (shown on request, audited).</summary>
public static class ChapEndpoints
{
    public sealed record ChapPolicyInput(string? Policy);

    /// <param name="Policy">The machine's own setting: default (the server-wide one), off, oneWay or mutual.</param>
    /// <param name="Effective">What its next session's target uses.</param>
    public sealed record ChapDto(string Policy, string Effective, string ServerWide, bool HasSecrets);

    public sealed record ChapSecretsDto(string User, string Secret, string? MutualUser, string? MutualSecret);

    public static void MapChapEndpoints(this RouteGroupBuilder api)
    {
        var chap = api.MapGroup("/machines/{id:int}/chap").WithTags("Machines").RequireAuthorization(Policies.AdminOnly);

        chap.MapGet("/", async (int id, GetMachine get, MachineChap machineChap, CancellationToken cancellationToken) =>
            Dto(await get.ExecuteAsync(id, cancellationToken), machineChap))
            .WithSummary("Whether this machine's targets use CHAP (never the secrets).");

        chap.MapPut("/", async (int id, ChapPolicyInput input, SetMachineChap set, GetMachine get, MachineChap machineChap, HttpContext context, CancellationToken cancellationToken) =>
        {
            await set.ExecuteAsync(id, input.Policy, context.Actor(), cancellationToken);
            return Dto(await get.ExecuteAsync(id, cancellationToken), machineChap);
        })
        .WithSummary("Set CHAP for this machine: default, off, oneWay or mutual. Applies from its next session.");

        chap.MapPost("/reveal", async (int id, GetMachine get, MachineChap machineChap, HttpContext context, CancellationToken cancellationToken) =>
        {
            var credentials = await machineChap.RevealAsync(await get.ExecuteAsync(id, cancellationToken), context.Actor(), cancellationToken);
            return new ChapSecretsDto(credentials.User, credentials.Secret, credentials.MutualUser, credentials.MutualSecret);
        })
        .WithSummary("The running session's CHAP user names and secrets in clear (409 without one); each look is audited. Every session gets new ones.");
    }

    private static ChapDto Dto(GGnet.Core.Domain.Machines.Machine machine, MachineChap chap) =>
        new(Machine.ChapName(machine.Chap), Machine.ChapName(chap.EffectiveFor(machine)), Machine.ChapName(chap.ServerWide), machine.ProtectedChapSecret is not null);
}
