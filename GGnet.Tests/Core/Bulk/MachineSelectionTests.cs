using GGnet.Core.Bulk;
using GGnet.Core.Errors;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Bulk;

/// <summary>The machines a bulk action is for, when they are ticked in a list.</summary>
public sealed class MachineSelectionTests
{
    [Fact]
    public async Task TickedMachines_AreReadInOneRead_EachOnce_InTheOrderOfTheirNames()
    {
        var (machines, groups) = await HallAsync("pc-03", "pc-01", "pc-02");

        var selected = await new MachineSelection([3, 1, 2, 1], null).ResolveAsync(machines, groups, CancellationToken.None);

        Assert.Equal(["pc-01", "pc-02", "pc-03"], selected.Select(m => m.Name.Value));
        Assert.Equal(1, machines.ManyReads);
    }

    [Fact]
    public async Task AnUnknownMachineAmongTheTicked_IsNotFound_NamingItsId()
    {
        var (machines, groups) = await HallAsync("pc-01", "pc-02");

        var refused = await Assert.ThrowsAsync<NotFoundException>(() => new MachineSelection([2, 77, 1], null).ResolveAsync(machines, groups, CancellationToken.None));

        Assert.Equal("There is no machine with id 77.", refused.Message);
    }

    private static async Task<(InMemoryMachineRepository Machines, InMemoryMachineGroupRepository Groups)> HallAsync(params string[] names)
    {
        var machines = new InMemoryMachineRepository();
        await machines.AddManyAsync([.. names.Select((name, i) => BootSamples.Machine(0, name, $"52:54:00:00:00:{i + 1:x2}"))], CancellationToken.None);
        return (machines, new InMemoryMachineGroupRepository(machines));
    }
}
