namespace GGnet.Core.Domain.Images;

public enum ImageStatus
{
    Importing,
    Converting,
    Ready,
    Failed,
}
