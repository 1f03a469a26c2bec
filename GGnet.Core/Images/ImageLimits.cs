namespace GGnet.Core.Images;

/// <summary>How many versions of an image are kept: older ones go after a commit, unless current or in use.</summary>
public sealed record ImageRetention(int KeepVersions);

/// <summary>The largest disk image the browser may upload.</summary>
public sealed record UploadLimit(long MaxBytes);
