using GGnet.Core.Domain.Schedules;
using GGnet.Core.Errors;
using GGnet.Core.Machines;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Machines;

public sealed class MachineGroupTests
{
    private readonly InMemoryMachineRepository _machines = new();
    private readonly InMemoryMachineGroupRepository _groups;
    private readonly InMemorySchedules _schedules = new();

    public MachineGroupTests() => _groups = new InMemoryMachineGroupRepository(_machines);

    [Theory]
    [InlineData("", "A group name is required.")]
    [InlineData("   ", "A group name is required.")]
    [InlineData("hall\nA", "A group name is one line of at most 64 characters.")]
    public void Rules_RefuseAMissingOrMultiLineName_WithASentence(string name, string sentence)
    {
        var refused = Assert.Throws<InvalidInputException>(() => MachineGroupRules.Check(name, null));

        Assert.Equal([sentence], refused.Errors["name"]);
    }

    [Fact]
    public void Rules_TrimTheName_AndDropABlankDescription()
    {
        Assert.Equal(("Hall A", null), MachineGroupRules.Check("  Hall A ", "  "));
    }

    [Fact]
    public async Task Rename_ToTheNameOfAnotherGroup_IsRefused_ButKeepingItsOwnNameIsFine()
    {
        var a = await new CreateMachineGroup(_groups, TimeProvider.System).ExecuteAsync("Hall A", null, "alice", CancellationToken.None);
        await new CreateMachineGroup(_groups, TimeProvider.System).ExecuteAsync("Hall B", null, "alice", CancellationToken.None);
        var rename = new RenameMachineGroup(_groups, TimeProvider.System);

        var clash = await Assert.ThrowsAsync<ConflictException>(() => rename.ExecuteAsync(a.Id, "Hall B", null, "alice", CancellationToken.None));
        var sameNameDescription = (await rename.ExecuteAsync(a.Id, "Hall A", "front room", "alice", CancellationToken.None)).Description;
        var renamed = await rename.ExecuteAsync(a.Id, "Hall A (front)", null, "alice", CancellationToken.None);

        Assert.Equal("A group named 'Hall B' already exists.", clash.Message);
        Assert.Equal("front room", sameNameDescription);
        Assert.Equal("Hall A (front)", renamed.Name);
        Assert.Equal(["name=Hall A", "name=Hall A"], _groups.Audit.Select(e => e.Before));
    }

    [Fact]
    public async Task Delete_AGroupASchedulesActsOn_IsRefused_SayingWhatToDoFirst()
    {
        var group = await new CreateMachineGroup(_groups, TimeProvider.System).ExecuteAsync("Hall C", null, "alice", CancellationToken.None);
        await _schedules.AddAsync(new Schedule(group.Id, new TimeOnly(9, 0), ScheduleDays.Weekdays, ScheduleAction.Wake, null, DateTime.UtcNow), _ => null!, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ConflictException>(() =>
            new DeleteMachineGroup(_groups, _schedules, TimeProvider.System).ExecuteAsync(group.Id, "alice", CancellationToken.None));

        Assert.Equal("Group 'Hall C' has 1 schedule. Delete it first (Machines › Schedules), then the group.", refused.Message);
        Assert.NotNull(await _groups.FindAsync(group.Id, CancellationToken.None));
    }
}
