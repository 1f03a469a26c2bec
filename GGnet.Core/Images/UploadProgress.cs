namespace GGnet.Core.Images;

/// <summary>How much of an upload the server has: a resumable upload continues from <see cref="ReceivedBytes"/>.</summary>
public sealed record UploadProgress(string FileName, long Size, long ReceivedBytes)
{
    public bool Complete => ReceivedBytes == Size;
}

/// <summary>A part was sent from another offset than the server has: the client asks again and continues from there.</summary>
public sealed class UploadOffsetException(string fileName, long receivedBytes)
    : Exception($"GGnet has {receivedBytes} bytes of {fileName}; continue from there.")
{
    public long ReceivedBytes { get; } = receivedBytes;
}
