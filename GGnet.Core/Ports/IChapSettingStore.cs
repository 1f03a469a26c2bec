using GGnet.Core.Iscsi;

namespace GGnet.Core.Ports;

/// <summary>Keeps the server-wide CHAP policy an admin switched to on the Settings page, for every later start.</summary>
public interface IChapSettingStore
{
    Task SaveAsync(ChapPolicy policy, CancellationToken cancellationToken);
}
