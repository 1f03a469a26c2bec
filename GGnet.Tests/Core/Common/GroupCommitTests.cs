using GGnet.Core.Common;

namespace GGnet.Tests.Core.Common;

/// <summary>
/// What a bulk start's and stop's workers save goes together: the first save of a quiet moment at once, the ones handed
/// in while that commit is written in the next one, each caller with its own item's result; a failed commit fails its own.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task SavesHandedInWhileACommitIsWritten_GoTogetherInTheNextOne_EachCallerGetsItsOwnResult()
    {
        var commits = new List<int[]>();
        var firstCommitRuns = new TaskCompletionSource();
        var firstCommitMayEnd = new TaskCompletionSource();
        var commit = new GroupCommit<int, string>(async items =>
        {
            lock (commits)
            {
                commits.Add([.. items]);
            }
            if (commits.Count == 1)
            {
                firstCommitRuns.SetResult();
                await firstCommitMayEnd.Task;
            }
            return [.. items.Select(i => $"session {i}")];
        });

        var first = commit.SaveAsync(1);
        await firstCommitRuns.Task;
        var waiting = new[] { commit.SaveAsync(2), commit.SaveAsync(3), commit.SaveAsync(4) };
        firstCommitMayEnd.SetResult();

        Assert.Equal("session 1", await first);
        Assert.Equal(["session 2", "session 3", "session 4"], await Task.WhenAll(waiting));
        Assert.Equal([[1], [2, 3, 4]], commits);
    }

    [Fact]
    public async Task AWriteThatFails_FailsTheCallersOfItsItemsOnly()
    {
        var commit = new GroupCommit<int, int>(items => items.Contains(2)
            ? throw new InvalidOperationException("the database is away")
            : Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => commit.SaveAsync(2));

        Assert.Equal("the database is away", failed.Message);
        Assert.Equal(30, await commit.SaveAsync(3));
    }
}
