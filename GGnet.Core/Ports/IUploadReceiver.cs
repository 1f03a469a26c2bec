namespace GGnet.Core.Ports;

/// <summary>Uploads from the browser into the import folder: whole, or resumable in parts.</summary>
public interface IUploadReceiver
{
    /// <summary>Writes an uploaded file into the import folder (under a hidden name until complete) and returns its length; more than maxBytes is refused.</summary>
    Task<long> ReceiveAsync(string fileName, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>How many bytes of a resumable upload (its name and size) have arrived.</summary>
    Task<long> ReceivedBytesAsync(string fileName, long size, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a part of a resumable upload at its offset (<see cref="Images.UploadOffsetException"/> when that is not
    /// where the upload stands) and returns the bytes received. What arrived before a broken connection stays; once
    /// all <paramref name="size"/> bytes are there the file moves into the import folder.
    /// </summary>
    Task<long> ReceivePartAsync(string fileName, long size, long offset, Stream content, CancellationToken cancellationToken);

    /// <summary>Removes uploads that stopped half-way (a closed browser, a crash) and were not touched for this long.</summary>
    Task RemoveStaleUploadsAsync(TimeSpan untouchedFor, CancellationToken cancellationToken);
}
