namespace GGnet.Core.Domain.Images;

/// <summary>One immutable state of an image's disk, stored as a file on the server.</summary>
public sealed class ImageVersion
{
    private ImageVersion()
    {
        Path = "";
    }

    public ImageVersion(int imageId, int number, DiskFormat format, long sizeBytes, string path, DateTime createdAt)
    {
        ImageId = imageId;
        Number = number;
        Format = format;
        SizeBytes = sizeBytes;
        Path = path;
        Status = ImageStatus.Importing;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int ImageId { get; private set; }

    public int Number { get; private set; }

    /// <summary>How a version is named everywhere an admin reads it: "win11 v3".</summary>
    public static string Label(string imageName, int number) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{imageName} v{number}");

    public DiskFormat Format { get; private set; }

    /// <summary>Virtual size of the disk in bytes.</summary>
    public long SizeBytes { get; private set; }

    public string Path { get; private set; }

    public ImageStatus Status { get; private set; }

    public string? FailureReason { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The file this version is converted from while <see cref="ImageStatus.Converting"/>.</summary>
    public string? SourcePath { get; private set; }

    public DiskFormat? SourceFormat { get; private set; }

    public void StartConverting(string sourcePath, DiskFormat sourceFormat) =>
        (Status, SourcePath, SourceFormat, FailureReason) = (ImageStatus.Converting, sourcePath, sourceFormat, null);

    public void MarkReady() => (Status, FailureReason) = (ImageStatus.Ready, null);

    public void MarkFailed(string reason) => (Status, FailureReason) = (ImageStatus.Failed, reason);
}
