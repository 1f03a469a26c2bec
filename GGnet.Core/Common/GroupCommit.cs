namespace GGnet.Core.Common;

/// <summary>
/// Saves handed in while another is being written wait, and go together in the next write: many workers, few commits.
/// The first save of a quiet moment is written at once; each caller learns its own item's result, or the write's error.
/// A database that writes one commit at a time (SQLite) otherwise spends a storm's time on a commit per session.
/// </summary>
public sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write)
{
    private readonly Lock _gate = new();
    private List<(TItem Item, TaskCompletionSource<TResult> Done)> _waiting = [];
    private bool _writing;

    public Task<TResult> SaveAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool first;
        lock (_gate)
        {
            _waiting.Add((item, done));
            first = !_writing;
            _writing = true;
        }
        if (first)
        {
            _ = Task.Run(WriteWhileWaitingAsync);
        }
        return done.Task;
    }

    private async Task WriteWhileWaitingAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }
                (batch, _waiting) = (_waiting, []);
            }
            try
            {
                var results = await write([.. batch.Select(waiting => waiting.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(results[i]);
                }
            }
            catch (Exception problem)
            {
                foreach (var waiting in batch)
                {
                    waiting.Done.TrySetException(problem);
                }
            }
        }
    }
}
