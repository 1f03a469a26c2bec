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

    /// <summary>Where its test boot stands (<see cref="TrialState"/>).</summary>
    public TrialState Trial { get; private set; }

    /// <summary>What the test boot found, one sentence for the admin.</summary>
    public string? TrialSentence { get; private set; }

    /// <summary>From power-on to its OS taking over its disk, in the bench; null unless it passed.</summary>
    public double? TrialBootSeconds { get; private set; }

    /// <summary>The end of the bench PC's console at the end of the test boot.</summary>
    public string? TrialConsole { get; private set; }

    /// <summary>When its test boot ended (or, while it runs, began).</summary>
    public DateTime? TrialAt { get; private set; }

    /// <summary>Its test boot has not ended: it can't be made current yet.</summary>
    public bool TrialRunning => Trial is TrialState.Waiting or TrialState.Booting;

    public void AwaitTrial() => (Trial, TrialSentence, TrialBootSeconds, TrialConsole, TrialAt) = (TrialState.Waiting, null, null, null, null);

    public void StartTrial(DateTime at) => (Trial, TrialSentence, TrialAt) = (TrialState.Booting, null, at);

    public void PassTrial(double bootSeconds, string sentence, string console, DateTime at) =>
        (Trial, TrialSentence, TrialBootSeconds, TrialConsole, TrialAt) = (TrialState.Passed, sentence, bootSeconds, console, at);

    public void FailTrial(string sentence, string console, DateTime at) =>
        (Trial, TrialSentence, TrialBootSeconds, TrialConsole, TrialAt) = (TrialState.Failed, sentence, null, console, at);

    public void StartConverting(string sourcePath, DiskFormat sourceFormat) =>
        (Status, SourcePath, SourceFormat, FailureReason) = (ImageStatus.Converting, sourcePath, sourceFormat, null);

    public void MarkReady() => (Status, FailureReason) = (ImageStatus.Ready, null);

    public void MarkFailed(string reason) => (Status, FailureReason) = (ImageStatus.Failed, reason);
}
