namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>Sends requests to tgtd: straight to its socket (as root), or through GGnet's root helper.</summary>
public interface ITgtControl
{
    Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// A request whose answer is a listing, read by <paramref name="read"/> (the reply's text then stays empty): tgtd's
    /// socket lends the text without making a string of it, which for the target listing, asked for every few seconds while
    /// PCs run, is hundreds of KB each time.
    /// </summary>
    async Task<(TgtReply Reply, T? Read)> ReadAsync<T>(TgtRequest request, TgtTextReader<T> read, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(request, cancellationToken);
        return reply.Succeeded ? (reply with { Text = "" }, read(reply.Text)) : (reply, default);
    }

    /// <summary>tgtd's process id, where this way of reaching it can tell (its socket's peer credentials); null otherwise.</summary>
    Task<int?> ServerPidAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(null);
}
