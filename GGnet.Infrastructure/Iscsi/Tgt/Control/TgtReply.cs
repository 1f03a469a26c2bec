namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>tgtd's answer: its code and, for a listing, its text.</summary>
public sealed record TgtReply(TgtStatus Status, string Text)
{
    public bool Succeeded => Status == TgtStatus.Success;

    /// <summary>A sentence for an error message: tgtd's code in words, or the helper's reason.</summary>
    public string Explanation => Status switch
    {
        TgtStatus.Success => "done",
        TgtStatus.Refused or TgtStatus.Unreachable => Text,
        TgtStatus.NoTarget => "there is no such target",
        TgtStatus.TargetExists => "the target already exists",
        TgtStatus.LunActive => "the disk is still in use",
        TgtStatus.TargetActive => "the target still has sessions",
        TgtStatus.UserExists => "the account already exists",
        TgtStatus.NoUser => "there is no such account",
        TgtStatus.AclExists or TgtStatus.BindingExists => "it is already allowed",
        TgtStatus.NoAcl or TgtStatus.NoBinding => "it was not allowed",
        TgtStatus.InvalidRequest or TgtStatus.UnknownParameter => "tgtd found the request invalid",
        _ => $"tgtd answered {Status}",
    };

    public static TgtReply Refuse(string reason) => new(TgtStatus.Refused, reason);
}

/// <summary>Reads tgtd's answer where it lies, keeping only what it returns.</summary>
public delegate T TgtTextReader<out T>(ReadOnlySpan<char> text);
